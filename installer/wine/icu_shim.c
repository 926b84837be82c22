/* BVTE Windows CI only — never shipped (installer/windows-ci.sh checks the bundle for it).
 *
 * Qt6Core.dll links against the ICU that Windows 10 (1703+) and 11 carry as system32\icuuc.dll; Wine 8.0
 * has none, so Qt would not load. Qt uses that ICU only to convert legacy text encodings by name; BVTE reads
 * and writes UTF-8 only. This stand-in exports the converter functions Qt imports and offers no converter at
 * all: opening one fails (U_FILE_ACCESS_ERROR = 4), the list of converters is empty. */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
#define UNUSED_ENTRY(name) EXPORT void *name(void) { return NULL; }

EXPORT void *ucnv_open(const char *converter_name, int *status)
{
    (void)converter_name;
    if (status != NULL && *status <= 0)
        *status = 4;
    return NULL;
}

EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT void ucnv_close(void *converter) { (void)converter; }

/* Never reached without a converter; present because Qt6Core.dll imports them by name. */
UNUSED_ENTRY(ucnv_getAvailableName)
UNUSED_ENTRY(ucnv_getStandardName)
UNUSED_ENTRY(ucnv_getName)
UNUSED_ENTRY(ucnv_getMaxCharSize)
UNUSED_ENTRY(ucnv_reset)
UNUSED_ENTRY(ucnv_toUnicode)
UNUSED_ENTRY(ucnv_fromUnicode)
UNUSED_ENTRY(ucnv_toUCountPending)
UNUSED_ENTRY(ucnv_fromUCountPending)
UNUSED_ENTRY(ucnv_getToUCallBack)
UNUSED_ENTRY(ucnv_setToUCallBack)
UNUSED_ENTRY(ucnv_getFromUCallBack)
UNUSED_ENTRY(ucnv_setFromUCallBack)
UNUSED_ENTRY(ucnv_cbToUWriteUChars)
UNUSED_ENTRY(ucnv_cbFromUWriteUChars)
UNUSED_ENTRY(UCNV_TO_U_CALLBACK_SUBSTITUTE)
UNUSED_ENTRY(UCNV_FROM_U_CALLBACK_SUBSTITUTE)

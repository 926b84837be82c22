/* BVTE Windows CI only — never shipped (installer/windows-ci.sh checks the bundle for it).
 *
 * Windows 10 and 11 have bcryptprimitives.dll with ProcessPrng, which code built with Rust 1.78 or later
 * (cryptography's _rust.pyd) imports. Wine 8.0 from Debian 12 does not, so the Wine prefix gets this
 * stand-in, which draws the same random bytes from BCryptGenRandom. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE out, SIZE_T count)
{
    const SIZE_T step = 1u << 30;
    for (SIZE_T done = 0; done < count; done += step) {
        ULONG part = (ULONG)((count - done) < step ? (count - done) : step);
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, out + done, part, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
    }
    return TRUE;
}

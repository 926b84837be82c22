; BVTE — Windows installer (NSIS 3, Unicode). Built by installer/build.sh (or by hand, see installer/README.md).
; makensis runs from this folder (installer\), so relative paths below are relative to it:
;
;   makensis -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DBUNDLE_DIR=..\build\dist\bvte -DOUTFILE=..\build\BVTE-0.1.0-setup.exe installer\bvte.nsi
;
; BUNDLE_DIR is the PyInstaller one-folder build (bvte.exe, bvte-cli.exe, _internal\).
; What it does:
; - per-machine install into Program Files (administrator rights), Start menu and desktop shortcuts;
; - one fixed application id: a later version finds the earlier one and upgrades it in place (same folder,
;   old program files replaced, the data untouched); the same version may be re-installed (repair);
;   an OLDER version refuses to install over a newer one (the newer one may already have upgraded the data,
;   which an older program would refuse to open);
; - the uninstaller removes the program and KEEPS the data folder (%LOCALAPPDATA%\BVTE of each Windows user:
;   encrypted database, key file, backups, log) unless the user ticks the box and confirms.
; The program data never lives under Program Files, so an upgrade or repair cannot touch it.

Unicode true
ManifestDPIAware true
!ifdef NOCOMPRESS
  SetCompress off  ; compile check only (installer/build.sh on Linux): LZMA on 250 MB takes ~2 minutes
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef VERSION4
  !define VERSION4 "0.0.0.0"
!endif
!ifndef BUNDLE_DIR
  !error "Give -DBUNDLE_DIR=<PyInstaller one-folder build, e.g. build\dist\bvte>"
!endif
!ifndef OUTFILE
  !define OUTFILE "BVTE-${VERSION}-setup.exe"
!endif

; Never change: Windows knows the installed BVTE by this id (Programs and Features, upgrade detection).
!define APP_ID "{9C6EC1DF-D509-4B9A-A1C5-6E72F4820016}"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define APP_KEY "Software\BVTE"
!define APP_NAME "BVTE"
!define APP_LONG "BVTE — Bảo Vệ Trẻ Em"
!define EXE "bvte.exe"
!define CLI_EXE "bvte-cli.exe"
!define UNINSTALLER "uninstall.exe"
!define MANUAL "Huong-dan-su-dung-BVTE.pdf"
!define MANUAL_LINK "Hướng dẫn sử dụng BVTE.lnk"
!define MANUAL_LINK_TIP "Hướng dẫn sử dụng BVTE (bản in, có mục lục)"

Name "${APP_LONG} ${VERSION}"
Caption "Cài đặt ${APP_LONG} ${VERSION}"
UninstallCaption "Gỡ cài đặt ${APP_LONG}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\BVTE"
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
RequestExecutionLevel admin
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "WordFunc.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"

Var OldVersion   ; version already installed ("" if none)
Var DataDir      ; %LOCALAPPDATA%\BVTE of the user running the uninstaller
Var RemoveData   ; 1 if the user ticked and confirmed the removal of the data
Var RemoveDataBox

; --- Pages ---------------------------------------------------------------------------------------------
!define MUI_ICON "bvte.ico"
!define MUI_UNICON "bvte.ico"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "Bạn có chắc muốn dừng cài đặt BVTE?"
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${APP_LONG} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Chương trình quản lý hồ sơ bảo vệ trẻ em cấp xã theo Nghị định 56/2017/NĐ-CP, chạy trên máy tính này, không cần mạng.$\r$\n$\r$\nNếu máy đã có BVTE bản cũ, bản mới được cài đè lên và toàn bộ hồ sơ được giữ nguyên. Hãy đóng BVTE trước khi tiếp tục.$\r$\n$\r$\nBấm Tiếp để tiếp tục."
!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "Đã cài đặt xong BVTE ${VERSION}"
!define MUI_FINISHPAGE_TEXT "Mở BVTE bằng biểu tượng BVTE trên màn hình nền hoặc trong menu Start.$\r$\n$\r$\nLần mở đầu tiên trên một máy chưa có dữ liệu, chương trình hướng dẫn thiết lập cơ quan và tài khoản quản trị (có thể dùng thử với dữ liệu mẫu). Sau khi nâng cấp, lần mở đầu tiên chương trình tự cập nhật dữ liệu và giữ một bản sao trước khi cập nhật trong thư mục backups."
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"

; Version resource of the installer itself (Properties → Details in Explorer).
VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductName" "${APP_LONG}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileDescription" "Bộ cài đặt ${APP_LONG}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "CompanyName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "LegalCopyright" "${APP_NAME}"

; --- Checks before installing -------------------------------------------------------------------------
Function .onInit
  SetShellVarContext all
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "BVTE cần Windows 64-bit (Windows 10 trở lên)." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "BVTE cần Windows 10 trở lên." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  SetRegView 64
  ReadRegStr $OldVersion HKLM "${UNINST_KEY}" "DisplayVersion"
  ${If} $OldVersion != ""
    ${VersionCompare} "$OldVersion" "${VERSION}" $R0  ; 0 same, 1 installed is newer, 2 this one is newer
    ${If} $R0 == 1
      MessageBox MB_ICONSTOP "Máy này đã cài BVTE $OldVersion, mới hơn bản ${VERSION} này.$\r$\n$\r$\nKhông thể cài bản cũ đè lên bản mới: dữ liệu có thể đã được bản mới cập nhật và bản cũ sẽ không mở được. Hãy dùng bộ cài BVTE $OldVersion hoặc mới hơn." /SD IDOK
      SetErrorLevel 3
      Quit
    ${ElseIf} $R0 == 0
      MessageBox MB_YESNO|MB_ICONQUESTION "BVTE ${VERSION} đã được cài trên máy này. Cài lại (sửa chữa) chương trình?$\r$\n$\r$\nDữ liệu hồ sơ không bị thay đổi." /SD IDYES IDYES reinstall
      Quit
      reinstall:
    ${Else}
      MessageBox MB_OKCANCEL|MB_ICONINFORMATION "Nâng cấp BVTE $OldVersion lên ${VERSION}.$\r$\n$\r$\nToàn bộ hồ sơ được giữ nguyên. Lần mở đầu tiên sau khi nâng cấp, chương trình tự cập nhật dữ liệu và giữ một bản sao trước khi cập nhật trong thư mục backups." /SD IDOK IDOK upgrade
      Quit
      upgrade:
    ${EndIf}
  ${EndIf}
FunctionEnd

Function SkipDirectoryOnUpgrade
  ${If} $OldVersion != ""
    Abort  ; an upgrade or repair goes where the program already is
  ${EndIf}
FunctionEnd

!macro CHECK_NOT_RUNNING UN
Function ${UN}CheckNotRunning
  ; A running program's .exe cannot be opened for writing: ask the user to close BVTE (its data is safe).
  retry:
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${EXE}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "BVTE đang mở. Hãy lưu công việc, đóng BVTE (mọi cửa sổ) rồi bấm Retry (Thử lại)." /SD IDCANCEL IDRETRY retry
      SetErrorLevel 4
      Quit
    ${EndIf}
    FileClose $0
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${CLI_EXE}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "Một lệnh bvte-cli đang chạy. Hãy chờ lệnh chạy xong rồi bấm Retry (Thử lại)." /SD IDCANCEL IDRETRY retry
      SetErrorLevel 4
      Quit
    ${EndIf}
    FileClose $0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro CHECK_NOT_RUNNING ""
!insertmacro CHECK_NOT_RUNNING "un."

; --- Install ---------------------------------------------------------------------------------------------
Section "BVTE" SecMain
  SectionIn RO
  Call CheckNotRunning
  SetOutPath "$INSTDIR"
  ; Upgrade: drop the previous version's program files first, so no stale module is left behind.
  ; Only when this folder really holds BVTE (bvte.exe beside _internal).
  ${If} ${FileExists} "$INSTDIR\${EXE}"
  ${AndIf} ${FileExists} "$INSTDIR\_internal\*.*"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File /r "${BUNDLE_DIR}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateDirectory "$SMPROGRAMS\BVTE"
  CreateShortcut "$SMPROGRAMS\BVTE\BVTE.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP_LONG}"
  CreateShortcut "$SMPROGRAMS\BVTE\Gỡ cài đặt BVTE.lnk" "$INSTDIR\${UNINSTALLER}"
  ; The user guide: the printed manual (built with screenshots by installer/build_manual.py into the bundle),
  ; or, in a bundle built without it, the guide's window (bvte.exe help).
!if /FileExists "${BUNDLE_DIR}/${MANUAL}"
  CreateShortcut "$SMPROGRAMS\BVTE\${MANUAL_LINK}" "$INSTDIR\${MANUAL}" "" "" 0 SW_SHOWNORMAL "" "${MANUAL_LINK_TIP}"
!else
  CreateShortcut "$SMPROGRAMS\BVTE\${MANUAL_LINK}" "$INSTDIR\${EXE}" "help" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${MANUAL_LINK_TIP}"
!endif
  CreateShortcut "$DESKTOP\BVTE.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP_LONG}"

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP_LONG}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

; --- Uninstall -------------------------------------------------------------------------------------------
Function un.onInit
  SetRegView 64
  SetShellVarContext current
  StrCpy $DataDir "$LOCALAPPDATA\BVTE"  ; where platformdirs puts this Windows user's BVTE data
  SetShellVarContext all
  StrCpy $RemoveData 0
FunctionEnd

Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "Dữ liệu hồ sơ" "Dữ liệu được giữ lại, trừ khi bạn chọn xoá."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 72u "Gỡ cài đặt chỉ xoá chương trình. Dữ liệu hồ sơ bảo vệ trẻ em (đã mã hoá) trong thư mục$\r$\n$DataDir$\r$\n(cùng các bản sao trong backups và nhật ký) ĐƯỢC GIỮ LẠI: cài lại BVTE sau này sẽ mở lại đúng dữ liệu đó.$\r$\n$\r$\nChỉ đánh dấu ô dưới đây khi chắc chắn không còn cần các hồ sơ này và đã có bản sao lưu ở nơi khác."
  Pop $0
  ${NSD_CreateCheckbox} 0 80u 100% 12u "Xoá luôn thư mục dữ liệu hồ sơ (không thể khôi phục)"
  Pop $RemoveDataBox
  ${If} $RemoveData == 1
    ${NSD_Check} $RemoveDataBox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $RemoveDataBox $0
  StrCpy $RemoveData 0
  ${If} $0 == ${BST_CHECKED}
    ${If} ${Cmd} `MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "Xoá vĩnh viễn toàn bộ hồ sơ trong $DataDir?$\r$\n$\r$\nKhông thể khôi phục sau khi xoá." IDYES`
      StrCpy $RemoveData 1
    ${Else}
      ${NSD_Uncheck} $RemoveDataBox
      Abort  ; stay on the page
    ${EndIf}
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.CheckNotRunning
  Delete "$DESKTOP\BVTE.lnk"
  Delete "$SMPROGRAMS\BVTE\BVTE.lnk"
  Delete "$SMPROGRAMS\BVTE\Gỡ cài đặt BVTE.lnk"
  Delete "$SMPROGRAMS\BVTE\${MANUAL_LINK}"
  RMDir "$SMPROGRAMS\BVTE"
  ; Only what the installer put there: never RMDir /r on $INSTDIR itself (it might be a shared folder).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  Delete "$INSTDIR\${MANUAL}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
  ${If} $RemoveData == 1
    DetailPrint "Xoá dữ liệu: $DataDir"
    RMDir /r "$DataDir"
  ${Else}
    DetailPrint "Giữ lại dữ liệu: $DataDir"
  ${EndIf}
SectionEnd

"""What an OLE compound file (CFB) holds, and its decryption.

Word 97-2003 `.doc`, Excel `.xls`, PowerPoint `.ppt`, Outlook `.msg` and every
password-protected Office 2007+ file (a DOCX encrypted by "Encrypt with Password" is an
OLE container with `EncryptionInfo` and `EncryptedPackage` streams) share the CFB
signature, so the streams inside decide what the file is. Decryption is done by
msoffcrypto-tool.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto
import olefile
from msoffcrypto import exceptions as crypto_errors

from phuluc.schema.errors import DamagedFile, PasswordRequired

# Stream name -> what a file holding it is (the first match wins).
KINDS = (
    ("EncryptedPackage", "encrypted-ooxml", "an Office document encrypted with a password"),
    ("WordDocument", "word97", "a Word 97-2003 document"),
    ("Workbook", "other", "an Excel 97-2003 workbook (.xls)"),
    ("Book", "other", "an Excel 5.0/95 workbook (.xls)"),
    ("PowerPoint Document", "other", "a PowerPoint 97-2003 presentation (.ppt)"),
    ("VisioDocument", "other", "a Visio drawing (.vsd)"),
    ("__properties_version1.0", "other", "an Outlook message (.msg)"),
    ("Quill", "other", "a Publisher document (.pub)"),
)


@dataclass
class CfbFile:
    """What the container is: `kind` is "encrypted-ooxml", "word97", "other", or "unknown" (a directory olefile cannot read)."""

    kind: str
    description: str
    encrypted: bool = False


def inspect_cfb(path: Path) -> CfbFile:
    """Read the container's directory (not its streams) and say what the file is."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            names = {entry[0] for entry in ole.listdir(streams=True, storages=True) if entry}
    except Exception:  # noqa: BLE001 - olefile raises OSError, struct.error, IndexError... on damage
        # A directory olefile cannot read: LibreOffice recovers some damaged .doc files, so it judges.
        return CfbFile("unknown", "a damaged OLE compound file (.doc)")
    found = next(((kind, description) for stream, kind, description in KINDS if stream in names), None)
    if found is None:
        return CfbFile("other", "an OLE compound file that is not a Word document")
    kind, description = found
    if kind == "word97" and _word97_encrypted(path):
        return CfbFile(kind, f"{description} encrypted with a password", True)
    return CfbFile(kind, description, kind == "encrypted-ooxml")


def _word97_encrypted(path: Path) -> bool:
    """The FIB's fEncrypted flag of a Word 97-2003 document."""
    try:
        with open(path, "rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # noqa: BLE001 - a FIB msoffcrypto cannot read: let LibreOffice judge the file
        return False


def decrypt(path: Path, password: str | None, description: str) -> bytes:
    """The decrypted file's bytes; PasswordRequired without a password or with a wrong one."""
    if not password:
        raise PasswordRequired(f"{description}: give its password with --password")
    try:
        with open(path, "rb") as f:
            office = msoffcrypto.OfficeFile(f)
            office.load_key(password=password)
            out = io.BytesIO()
            office.decrypt(out)
    except crypto_errors.InvalidKeyError:
        raise PasswordRequired(f"{description}: wrong password") from None
    except (crypto_errors.DecryptionError, crypto_errors.FileFormatError, crypto_errors.ParseError,
            NotImplementedError, ValueError) as e:
        raise DamagedFile(f"{description} that could not be decrypted: {str(e)[:120]}") from None
    return out.getvalue()

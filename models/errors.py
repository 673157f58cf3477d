"""Every failure a user can hit: one class each, an exit code, a message that says what to do.

Only `flows/cli.py` turns these into exit codes; library code raises them.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    rejected = 1  # some input files were rejected; the rest were processed
    bad_args = 2
    input_file = 3
    missing_dependency = 4
    ocr_failed = 5
    config = 6
    other = 15


class CrosstrackError(Exception):
    exit_code = ExitCode.other
    message = "crosstrack failed"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)

    @property
    def reason(self) -> str:
        return str(self)


class RejectedFileError(CrosstrackError):
    """A file the intake refuses; the rest of its batch goes on."""

    exit_code = ExitCode.input_file


class EmptyFileError(RejectedFileError):
    message = "the file is empty (0 bytes): re-scan or re-export it"


class FileTooLargeError(RejectedFileError):
    message = "the file is over the size limit: split it, or raise CROSSTRACK_MAX_FILE_MB"


class UnsupportedFileTypeError(RejectedFileError):
    message = "not an image or a PDF: supported are PNG, JPEG, TIFF, BMP, GIF, WebP, JPEG 2000, PNM and PDF"


class CorruptImageError(RejectedFileError):
    message = "the image is corrupt or truncated: re-scan it or copy it again from the source"


class DecompressionBombError(RejectedFileError):
    message = "the image has more pixels than the limit: check the file, or raise CROSSTRACK_MAX_PIXELS"


class EncryptedDocumentError(RejectedFileError):
    message = "the PDF is encrypted (password protected): ask the sender for an unprotected copy"


class CorruptPdfError(RejectedFileError):
    message = "the PDF is corrupt or truncated: re-export it from the source system"


class MislabeledFileError(RejectedFileError):
    message = "the file's content does not match its name"


class MissingFileError(RejectedFileError):
    message = "the file does not exist or is not a regular file: check the path"


class UnreadableFileError(RejectedFileError):
    message = "the file cannot be read: check its permissions and the disk it is on"


class FileChangedError(RejectedFileError):
    message = "the file changed while it was being stored: submit it again once it is fully copied"


class EmptyPdfError(RejectedFileError):
    message = "the PDF has no pages: re-export it from the source system"


class ManifestError(CrosstrackError):
    """The manifest CSV as a whole is unusable (its files are not looked at)."""

    exit_code = ExitCode.bad_args
    message = "the manifest CSV is invalid"


class InvalidBatchIdError(CrosstrackError):
    exit_code = ExitCode.bad_args
    message = "the batch id may use only letters, digits, '.', '_' and '-' (at most 128, not starting with '.')"


class StoreWriteError(CrosstrackError):
    message = "could not write to the document store: check free disk space and permissions of CROSSTRACK_HOME"


class MissingDependencyError(CrosstrackError):
    exit_code = ExitCode.missing_dependency
    message = "a program crosstrack needs is missing: run `make setup`"


class OcrEngineError(CrosstrackError):
    exit_code = ExitCode.ocr_failed
    message = "the OCR engine failed"


class ConfigError(CrosstrackError):
    exit_code = ExitCode.config
    message = "the configuration is invalid"


class ViewError(CrosstrackError):
    exit_code = ExitCode.bad_args
    message = "the view request is invalid"


class ViewsNotBuiltError(CrosstrackError):
    exit_code = ExitCode.config
    message = "the anonymized views are empty: run `crosstrack views refresh` after a merge"


class NotClearedError(CrosstrackError):
    exit_code = ExitCode.bad_args
    message = "the restricted view needs a cleared role (--role analyst_cleared)"


class LabelStudioError(CrosstrackError):
    message = "Label Studio refused a request: see its log in <home>/label-studio/server.log"


class LabelStudioDownError(LabelStudioError):
    exit_code = ExitCode.missing_dependency
    message = "Label Studio does not answer: start it with `crosstrack review serve`"


class LabelStudioStartError(LabelStudioError):
    message = "Label Studio did not start: see <home>/label-studio/server.log"


class PortTakenError(ConfigError):
    message = "the Label Studio port is taken by another program"


class FeedFileError(RejectedFileError):
    """A whole agency extract file refused (not its format, encrypted, empty, a header without the
    mapping's columns); the other files of the import go on."""

    message = "the extract file cannot be read as its mapping says"

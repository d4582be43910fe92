package deliver

import (
	"io"
	"time"
)

// WriteMboxForTest exposes the mbox writer to the external tests.
func WriteMboxForTest(w io.Writer, from, msg string) error {
	return writeMbox(w, from, time.Date(2026, 11, 9, 10, 0, 0, 0, time.UTC), []byte(msg))
}

// WriteDottedForTest exposes the DATA encoder.
func WriteDottedForTest(msg string) string { return string(appendDotted(nil, []byte(msg))) }

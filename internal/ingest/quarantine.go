package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// quarantine writes rejected rows to a CSV file: line, column, reason, then
// the row's original fields. The file is created on the first rejected row.
// sync flushes and fsyncs it, and size is the byte count a checkpoint
// records, so that a resumed import can cut off rows written after the
// last committed chunk.
type quarantine struct {
	path   string
	header []string
	f      *os.File
	bw     *bufio.Writer
	w      *csv.Writer
	size   int64 // bytes handed to the file, after sync
	dirty  bool
	fields []string
}

// openQuarantine prepares the quarantine at path for a batch whose last
// checkpoint recorded size bytes. It truncates the file to size; with size
// 0 it removes a file left by an earlier run. It reports rebuild when the
// file is shorter than size (deleted or moved since), in which case the
// caller must rewrite the rows before the checkpoint.
func openQuarantine(path string, header []string, size int64) (q *quarantine, rebuild bool, err error) {
	q = &quarantine{path: path, header: header}
	if size == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, false, fmt.Errorf("remove old quarantine %s: %w", path, err)
		}
		return q, false, nil
	}
	st, err := os.Stat(path)
	if err != nil || st.Size() < size {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, false, fmt.Errorf("remove quarantine %s: %w", path, err)
		}
		return q, true, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("open quarantine %s: %w", path, err)
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("truncate quarantine %s: %w", path, err)
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("seek quarantine %s: %w", path, err)
	}
	q.attach(f)
	q.size = size
	return q, false, nil
}

func (q *quarantine) attach(f *os.File) {
	q.f = f
	q.bw = bufio.NewWriterSize(&countWriter{w: f, n: &q.size}, 64<<10)
	q.w = csv.NewWriter(q.bw)
}

// countWriter adds the bytes written through it to *n.
type countWriter struct {
	w io.Writer
	n *int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// write adds a rejected row.
func (q *quarantine) write(line int64, column, reason string, rec []string) error {
	if q.f == nil {
		f, err := os.OpenFile(q.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("create quarantine %s: %w", q.path, err)
		}
		q.attach(f)
		q.fields = append(q.fields[:0], "line", "column", "reason")
		q.fields = append(q.fields, q.header...)
		if err := q.w.Write(q.fields); err != nil {
			return fmt.Errorf("write quarantine: %w", err)
		}
	}
	q.fields = append(q.fields[:0], strconv.FormatInt(line, 10), column, reason)
	q.fields = append(q.fields, rec...)
	if err := q.w.Write(q.fields); err != nil {
		return fmt.Errorf("write quarantine: %w", err)
	}
	q.dirty = true
	return nil
}

// sync makes what was written durable and returns the file's size.
func (q *quarantine) sync() (int64, error) {
	if !q.dirty {
		return q.size, nil
	}
	q.w.Flush()
	if err := q.w.Error(); err != nil {
		return 0, fmt.Errorf("write quarantine %s: %w", q.path, err)
	}
	if err := q.f.Sync(); err != nil {
		return 0, fmt.Errorf("sync quarantine %s: %w", q.path, err)
	}
	q.dirty = false
	return q.size, nil
}

// written reports whether the quarantine file exists with rows.
func (q *quarantine) written() bool { return q.f != nil }

func (q *quarantine) close() error {
	if q.f == nil {
		return nil
	}
	_, err := q.sync()
	if cerr := q.f.Close(); err == nil {
		err = cerr
	}
	q.f = nil
	return err
}

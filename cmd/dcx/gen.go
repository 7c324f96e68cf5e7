package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/dcx-explorer/dcx/data/synth"
)

func newGenCmd(e *env) *cobra.Command {
	var (
		records int
		seed    int64
		out     string
	)
	cmd := &cobra.Command{
		Use:   "gen --records N [--seed S] [--out FILE]",
		Short: "Write a synthetic dataset of N records, for trying dcx at scale",
		Long: `Gen writes a valid synthetic dataset of N records spread over every kind, with
realistic names, places, amounts and dates. The same N and seed always give
the same bytes. The dataset streams to stdout, or to FILE with --out: the file
is written beside FILE and renamed into place, so a failed run leaves nothing
half-written.`,
		Example: `  dcx gen --records 100000 --out big.json
  dcx --data big.json
  dcx gen --records 2000 --seed 7 > small.json`,
		Args:                  cobra.NoArgs,
		DisableFlagsInUseLine: true,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if e.dataPath != "" {
				return usageErrorf("gen writes a new dataset and reads none: drop --data")
			}
			if records < 1 {
				return usageErrorf("--records %d: want at least 1", records)
			}
			write := func(w io.Writer) error { return synth.Write(w, records, seed) }
			if out == "" || out == "-" {
				bw := bufio.NewWriter(e.stdout)
				if err := write(bw); err != nil {
					return fmt.Errorf("generating: %w", err)
				}
				return bw.Flush()
			}
			return writeFileAtomic(out, write)
		}),
	}
	f := cmd.Flags()
	f.IntVarP(&records, "records", "n", 0, "number of records to generate (`N` >= 1)")
	f.Int64Var(&seed, "seed", 1, "random seed `S`: the same seed gives the same dataset")
	f.StringVarP(&out, "out", "o", "", "write to `FILE` instead of stdout")
	_ = cmd.MarkFlagRequired("records")
	_ = cmd.MarkFlagFilename("out", "json")
	return cmd
}

// writeFileAtomic writes path through a temporary file in the same folder and
// renames it into place only when write and the close succeed: readers never
// see a half-written file, and a failed run leaves nothing behind.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("generating %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// CreateTemp makes the file private (0600); a dataset is not a secret.
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

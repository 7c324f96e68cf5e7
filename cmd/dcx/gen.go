package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
//
// Only a regular file or a missing path is replaced: a rename over a device
// node (/dev/full, run as root), a symlink, a FIFO or a folder would replace
// that with a regular file, which nobody asking for a dataset meant. The
// file is synced before the rename and the folder after it, so that after a
// crash the path holds either the old file or the whole new one.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	if err := replaceable(path); err != nil {
		return err
	}
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
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Checked again just before the rename: the path may have changed
	// while the dataset was written.
	if err = replaceable(path); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// replaceable returns nil when path is missing or a regular file, and an
// error naming what it is otherwise. Lstat: a symlink is refused, not
// followed.
func replaceable(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode().IsRegular() {
		return nil
	}
	what := "not a regular file"
	switch m := st.Mode(); {
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link"
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeDevice != 0:
		what = "a device"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	}
	return fmt.Errorf("%s is %s; --out only replaces a regular file", path, what)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

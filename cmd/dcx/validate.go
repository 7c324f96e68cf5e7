package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dcx-explorer/dcx/data"
)

func newValidateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check dataset files and report every problem",
		Long: `Validate checks dataset files (a .json file, or a folder of them) the way dcx
loads them: strict JSON, unique ids, references that resolve, evidence on every
record, known currencies, dates with their precision, numbers in range.

Valid: exit 0 and a one-line summary. Invalid: exit 1 and every problem on
stdout, one per line, as file:line:col: path: value "x": message.
With no PATH it checks the dataset given with --data.`,
		Example: `  dcx validate data/dataset
  dcx validate mine.json more.json
  dcx gen --records 1000 --out big.json && dcx validate big.json`,
		RunE: runE(func(cmd *cobra.Command, paths []string) error {
			if len(paths) == 0 {
				if e.dataPath == "" {
					return usageErrorf("validate needs at least one PATH (or --data PATH)")
				}
				paths = []string{e.dataPath}
			}
			return runValidate(e, paths)
		}),
	}
}

func runValidate(e *env, paths []string) error {
	err := data.Validate(paths...)
	if err == nil {
		fmt.Fprintf(e.stdout, "ok: %s valid\n", describePaths(paths))
		return nil
	}
	var problems data.Errors
	if !errors.As(err, &problems) {
		// An unreadable path is a problem like any other: one line on stdout.
		fmt.Fprintln(e.stdout, err)
		return &exitError{code: exitData, err: fmt.Errorf("%s: cannot be validated", describePaths(paths))}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	return &exitError{code: exitData, err: fmt.Errorf("%s: %d problem(s)", describePaths(paths), len(problems))}
}

func describePaths(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%d paths", len(paths))
}

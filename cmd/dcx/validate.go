package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
)

func newValidateCmd(e *env) *cobra.Command {
	// Quotes are always checked: dcx carries the documents its dataset quotes.
	opts := data.Options{CheckQuotes: true}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check dataset files and report every problem",
		Long: `Validate checks the dataset the paths form together (each a .json file or a
folder of them) the way dcx loads it: strict JSON, unique ids, references that
resolve, evidence on every record, known currencies, dates with their
precision, numbers in range.

Valid: exit 0 and a one-line summary. Invalid: exit 1 and every problem on
stdout, one per line, as file:line:col: path: value "x": message.
With no PATH it checks the dataset given with --data, or else the embedded one.

Every quote from a source with a "file" (the seed articles, the research
notes) must be a verbatim substring of that document: dcx carries copies of
the documents its dataset quotes; --quotes DIR adds a folder of your own
(searched first).`,
		Example: `  dcx validate data/dataset
  dcx validate --quotes ~/articles mine.json
  dcx validate mine.json more.json
  dcx gen --records 1000 --out big.json && dcx validate big.json`,
		RunE: runE(func(cmd *cobra.Command, paths []string) error {
			if len(paths) == 0 {
				if e.dataPath == "" {
					return runValidateEmbedded(e, opts)
				}
				paths = []string{e.dataPath}
			}
			return runValidate(e, opts, paths)
		}),
	}
	cmd.Flags().StringVar(&opts.QuoteDir, "quotes", "", "also look for quoted documents in `DIR`")
	_ = cmd.MarkFlagDirname("quotes")
	return cmd
}

// runValidateEmbedded checks the dataset built into the binary, quotes
// included: what a user can run to see that the data they browse holds.
func runValidateEmbedded(e *env, opts data.Options) error {
	ds, err := opts.LoadEmbedded()
	return report(e, "the embedded dataset", ds, err)
}

func runValidate(e *env, opts data.Options, paths []string) error {
	opts.MaxSize = e.maxDataSize.limit()
	var (
		ds  *model.Dataset
		err error
	)
	if len(paths) == 1 {
		// Loading gives the same verdict as Validate and the records to count.
		// The same note as the app's while a large file loads.
		o := opts
		o.Progress = new(data.Progress)
		ds, err = withLoadingNote(e.stderr, paths[0], o.Progress, func() (*model.Dataset, error) { return o.Load(paths[0]) })
	} else {
		err = opts.Validate(paths...)
	}
	what := paths[0]
	if len(paths) > 1 {
		what = model.Plural(len(paths), "path")
	}
	return report(e, what, ds, err)
}

// report prints validate's verdict on what: the summary, or every problem.
func report(e *env, what string, ds *model.Dataset, err error) error {
	if err == nil {
		if ds == nil {
			fmt.Fprintf(e.stdout, "ok: %s form a valid dataset\n", what)
		} else {
			fmt.Fprintf(e.stdout, "ok: %s is a valid dataset: %s\n", what, countRecords(ds))
		}
		return nil
	}
	var problems data.Errors
	if !errors.As(err, &problems) {
		// An unreadable path is a problem like any other: one line on stdout.
		fmt.Fprintln(e.stdout, data.Escape(err.Error()))
		return &exitError{code: exitData, err: fmt.Errorf("%s cannot be validated", what)}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	return &exitError{code: exitData, err: fmt.Errorf("%s: %s", what, model.Plural(problems.Count(), "problem"))}
}

// countRecords summarises a dataset: "412 records (12 announcements, ...,
// 1 place)".
func countRecords(ds *model.Dataset) string {
	var parts []string
	for _, k := range model.Kinds() {
		if n := len(ds.ByKind(k)); n > 0 {
			parts = append(parts, model.Plural(n, string(k)))
		}
	}
	s := model.Plural(ds.Len(), "record")
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if len(ds.Rates) > 0 {
		s += " and " + model.Plural(len(ds.Rates), "exchange rate")
	}
	return s
}

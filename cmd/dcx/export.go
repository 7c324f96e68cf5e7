package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
	"github.com/spf13/cobra"
)

var exportFormats = []string{"json", "csv", "md"}

type exportOptions struct {
	format   string
	kinds    []string
	currency string
}

func newExportCmd(e *env) *cobra.Command {
	var opts exportOptions
	cmd := &cobra.Command{
		Use:   "export [QUERY...]",
		Short: "Print the dataset, or the records a query selects, as JSON, CSV or Markdown",
		Long: `Export prints the whole dataset, or the records a query selects, on stdout.

The query is the app's search language (the words are joined with spaces):
free text, "quoted phrases", -exclusions, field filters such as kind:facility,
company:alibaba, country:KR, area:apac, year:2025, status:construction, and
comparisons such as mw>=100, gpus>10000, usd>=1e9.

--format json writes a dataset file: the selected records plus every record they
reference (their sources, companies, places, parent companies, and the rate
table when they hold money), so the output is itself a valid dataset that
'dcx validate' accepts and '--data' loads.
--format csv writes one row per selected record (RFC 4180, header row):
id, kind, title, date, date_precision (day, month, quarter, year),
date_inferred (true when the date was worked out, not stated), companies,
country, mw, gpus, amount, amount_qualifier, amount_from, currency, the
amount converted to --currency, status, sources. Lists are joined with ';'.
A record's amount is an investment's, a facility's capex or else its
investment's, an announcement's largest among the records it concerns;
amount_from names the record it is stated on when not the row's own.
--format md writes a Markdown table per kind; as in the app, "~" marks an
inferred date.`,
		Example: `  dcx export > dataset.json
  dcx export --format csv --kind facility
  dcx export --format md country:KR
  dcx export --format csv --currency EUR 'usd>=1e9'
  dcx export ulsan > ulsan.json && dcx validate ulsan.json`,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runExport(e, cmd, opts, strings.Join(args, " "))
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&opts.format, "format", "f", "json", "output `FORMAT`: json, csv or md")
	f.StringSliceVarP(&opts.kinds, "kind", "k", nil, "only records of `KIND` (repeat or separate with commas: facility,region)")
	f.StringVar(&opts.currency, "currency", "USD", "convert amounts to `CUR` in csv and md output: USD, EUR, CNY or any currency the dataset's rates reach")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(exportFormats, cobra.ShellCompDirectiveNoFileComp))
	kindNames := make([]string, len(model.Kinds()))
	for i, k := range model.Kinds() {
		kindNames[i] = string(k)
	}
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(kindNames, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("currency", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		ds, err := e.dataset()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return ds.DisplayCurrencies()[1:], cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runExport(e *env, cmd *cobra.Command, opts exportOptions, query string) error {
	format := strings.ToLower(opts.format)
	if !slices.Contains(exportFormats, format) {
		return usageErrorf("--format %q: want one of %s", opts.format, strings.Join(exportFormats, ", "))
	}
	kinds, err := parseKinds(opts.kinds)
	if err != nil {
		return err
	}
	if format == "json" && cmd.Flags().Changed("currency") {
		return usageErrorf("--currency applies to csv and md; json keeps every amount as the sources state it")
	}

	ds, err := e.dataset()
	if err != nil {
		return err
	}
	// Which currencies an amount can be converted to is the dataset's rate
	// table's to say, so the flag is checked once the data is loaded.
	currency := strings.ToUpper(strings.TrimSpace(opts.currency))
	if reach := ds.DisplayCurrencies()[1:]; !slices.Contains(reach, currency) {
		return usageErrorf("--currency %q: want a currency the dataset's rates reach: %s", opts.currency, strings.Join(reach, ", "))
	}
	whole := strings.TrimSpace(query) == "" && len(kinds) == 0
	var recs []model.Record
	if whole {
		recs = ds.Records()
	} else {
		var approx []search.Approx
		recs, approx, err = selectRecords(ds, query, kinds)
		if text := search.ApproxSummary(approx); text != "" {
			// A person reading the output should know that a word was not
			// found as typed: "colossus" matching the Italian "colosso".
			fmt.Fprintln(e.stderr, "dcx: matched approximately: "+text)
		}
		if err != nil {
			var qe *search.QueryError
			if errors.As(err, &qe) {
				printQueryError(e.stderr, query, qe)
				return usageErrorf("invalid query: %v", qe)
			}
			return err
		}
	}

	if len(recs) == 0 {
		// Not an error (the output is still a valid, empty export), but a
		// script or a person piping it on should know.
		fmt.Fprintln(e.stderr, "dcx: no records match")
	}

	w := bufio.NewWriter(e.stdout)
	switch format {
	case "json":
		out := ds
		if !whole {
			out = closure(ds, recs)
		}
		err = data.Encode(w, out)
	case "csv":
		err = writeCSV(w, ds, recs, currency)
	case "md":
		err = writeMarkdown(w, ds, recs, currency)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	return nil
}

// parseKinds accepts kind names in singular or plural form, any case.
func parseKinds(names []string) (map[model.Kind]bool, error) {
	if len(names) == 0 {
		return nil, nil
	}
	kinds := map[model.Kind]bool{}
	for _, n := range strings.Split(strings.Join(names, ","), ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		found := false
		for _, k := range model.Kinds() {
			if n == string(k) || n == strings.ToLower(kindPlural(k)) {
				kinds[k], found = true, true
			}
		}
		if !found {
			valid := make([]string, len(model.Kinds()))
			for i, k := range model.Kinds() {
				valid[i] = string(k)
			}
			return nil, usageErrorf("--kind %q: want one of %s", n, strings.Join(valid, ", "))
		}
	}
	return kinds, nil
}

func selectRecords(ds *model.Dataset, query string, kinds map[model.Kind]bool) ([]model.Record, []search.Approx, error) {
	recs := ds.Records()
	var approx []search.Approx
	if strings.TrimSpace(query) != "" {
		var err error
		if recs, approx, err = search.Run(ds, query); err != nil {
			return nil, nil, err
		}
	}
	if len(kinds) == 0 {
		return recs, approx, nil
	}
	out := make([]model.Record, 0, len(recs))
	for _, r := range recs {
		if kinds[r.RecordKind()] {
			out = append(out, r)
		}
	}
	return out, approx, nil
}

// printQueryError shows the query with a caret under the offending position.
func printQueryError(w io.Writer, query string, qe *search.QueryError) {
	pos := min(max(qe.Pos, 0), len(query))
	fmt.Fprintf(w, "  %s\n  %s^\n", query, strings.Repeat(" ", utf8.RuneCountInString(query[:pos])))
}

// kindPlural is a kind's name as a heading: "Facilities".
func kindPlural(k model.Kind) string {
	s := model.PluralOf(string(k))
	return strings.ToUpper(s[:1]) + s[1:]
}

// references lists the ids a record names: the records a dataset must also
// hold for this one to be valid. Zones name their region, which carries them.
func references(r model.Record) []string {
	ids := model.EvidenceSources(r)
	model.EachRef(r, func(ref model.Ref) { ids = append(ids, ref.ID) })
	return ids
}

// closure returns a dataset holding recs and, transitively, everything they
// reference, in the order of ds, so that it stands alone as a valid dataset.
// When any of them holds money the whole rate table comes along (with the
// sources of its rates and the records that dispute them): conversion picks the rate closest to a date among
// all of them, so a subset of the table could change the converted figures.
func closure(ds *model.Dataset, recs []model.Record) *model.Dataset {
	keep := map[string]bool{}
	var queue []string
	push := func(ids ...string) {
		for _, id := range ids {
			if id != "" && !keep[id] {
				if _, ok := ds.Get(id); ok {
					keep[id] = true
					queue = append(queue, id)
				}
			}
		}
	}
	drain := func() (money bool) {
		for len(queue) > 0 {
			id := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			r, _ := ds.Get(id)
			push(references(r)...)
			// A record showing another's amount (a facility an investment
			// pays for, which names the facility, not the other way round)
			// needs that record to show it in the export too.
			if a, ok := ds.AmountOf(r); ok {
				money = true
				push(a.From)
			}
		}
		return money
	}
	for _, r := range recs {
		push(r.RecordID())
	}
	withRates := drain()
	if withRates {
		for _, rate := range ds.Rates {
			for _, ev := range rate.Evidence {
				push(ev.Source)
				push(ev.Cites...)
			}
			// The record whose conflict disputes a rate comes along, or
			// the export would not validate.
			push(rate.Disputed)
		}
		drain()
	}

	out := &model.Dataset{}
	out.Sources = keepOnly(ds.Sources, keep, func(r *model.Source) string { return r.ID })
	out.Companies = keepOnly(ds.Companies, keep, func(r *model.Company) string { return r.ID })
	out.Places = keepOnly(ds.Places, keep, func(r *model.Place) string { return r.ID })
	out.Regions = keepOnly(ds.Regions, keep, func(r *model.Region) string { return r.ID })
	out.Facilities = keepOnly(ds.Facilities, keep, func(r *model.Facility) string { return r.ID })
	out.Investments = keepOnly(ds.Investments, keep, func(r *model.Investment) string { return r.ID })
	out.Announcements = keepOnly(ds.Announcements, keep, func(r *model.Announcement) string { return r.ID })
	if withRates {
		out.Rates = ds.Rates
	}
	return out
}

func keepOnly[T any](all []T, keep map[string]bool, id func(*T) string) []T {
	var out []T
	for i := range all {
		if keep[id(&all[i])] {
			out = append(out, all[i])
		}
	}
	return out
}

package main

// The CSV and Markdown exports: a record flattened to the columns both share.

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// row is one record flattened to the columns csv and md share.
type row struct {
	id, kind, title string
	date            model.Date
	companies       []string
	countries       []string
	mw, gpus        string
	amount          *model.Amount // model.AmountOf: the one definition of a record's amount
	converted       *model.Money
	status          string
	sources         []string
}

func flatten(ds *model.Dataset, r model.Record, currency string) row {
	out := row{id: r.RecordID(), kind: string(r.RecordKind()), title: r.RecordTitle(), sources: model.EvidenceSources(r)}
	var places []string
	switch r := r.(type) {
	case *model.Announcement:
		out.date = r.Date
		out.companies = r.Companies
		places = r.Places
	case *model.Company:
		out.companies = nonEmpty(r.Parent)
		places = nonEmpty(r.Country)
	case *model.Region:
		out.date = r.AsOf
		out.companies = nonEmpty(r.Provider)
		places = nonEmpty(r.Country)
		out.status = string(r.Status)
	case *model.Zone:
		if reg, ok := ds.Get(r.Region); ok {
			reg := reg.(*model.Region)
			out.companies = nonEmpty(reg.Provider)
			places = nonEmpty(reg.Country)
			out.status = string(reg.Status)
		}
	case *model.Facility:
		out.date = r.AnnouncedDate()
		out.companies = dedup(slices.Concat(nonEmpty(r.Operator), r.Owners, r.Developers, r.Tenants, r.Partners, r.Customers))
		places = nonEmpty(r.Country)
		if r.PowerMW != nil {
			out.mw = strconv.FormatFloat(*r.PowerMW, 'f', -1, 64)
		}
		if r.GPUs != nil {
			out.gpus = strconv.Itoa(*r.GPUs)
		}
		out.status = string(r.Status)
	case *model.Investment:
		out.date = r.Announced
		out.companies = dedup(slices.Concat(nonEmpty(r.Investor), r.CoInvestors, r.Partners))
		places = r.Places
	case *model.Source:
		if r.Published != nil {
			out.date = *r.Published
		}
	case *model.Place:
		places = []string{r.ID}
	}
	out.countries = countryCodes(ds, places)
	if a, ok := ds.AmountOf(r); ok {
		out.amount = &a
		// Without a date there is no rate to pick; the amount stays as
		// stated and the converted cell empty.
		if a.Money.Currency == currency || !a.At.IsZero() {
			if c, err := ds.Convert(a.Money, currency, a.At); err == nil {
				out.converted = &c.To
			}
		}
	}
	return out
}

// countryCodes turns place ids into ISO country codes: a city counts as its
// country; areas are not countries and are left out.
func countryCodes(ds *model.Dataset, places []string) []string {
	var out []string
	for _, id := range places {
		r, ok := ds.Get(id)
		p, isPlace := r.(*model.Place)
		if !ok || !isPlace {
			continue
		}
		if p.Kind == model.PlaceCity {
			c, ok := ds.Get(p.Country)
			if p, isPlace = c.(*model.Place); !ok || !isPlace {
				continue
			}
		}
		if p.Kind == model.PlaceCountry {
			code := p.Code
			if code == "" {
				code = p.ID
			}
			out = append(out, code)
		}
	}
	return dedup(out)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func dedup(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Converted amounts are rounded to cents: the rates behind them carry no more
// precision than that, and float noise would read as false exactness.
func csvConverted(m *model.Money) string {
	if m == nil {
		return ""
	}
	return strconv.FormatFloat(math.Round(m.Amount*100)/100, 'f', -1, 64)
}

// csvHeader is the CSV export's header; the converted column is named after
// the currency (usd, eur).
func csvHeader(currency string) []string {
	return []string{"id", "kind", "title", "date", "date_precision", "date_inferred", "companies", "country", "mw", "gpus",
		"amount", "amount_qualifier", "amount_from", "currency", strings.ToLower(currency), "status", "sources"}
}

func writeCSV(w io.Writer, ds *model.Dataset, recs []model.Record, currency string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader(currency)); err != nil {
		return err
	}
	for _, r := range recs {
		f := flatten(ds, r, currency)
		var amount, qualifier, from, cur string
		if a := f.amount; a != nil {
			amount = strconv.FormatFloat(a.Money.Amount, 'f', -1, 64)
			qualifier, from, cur = a.Money.Qualifier, a.From, a.Money.Currency
		}
		// Precision and inference are only said of a date that is there.
		var precision, inferred string
		if !f.date.IsZero() {
			precision, inferred = string(f.date.Prec()), strconv.FormatBool(f.date.Inferred)
		}
		if err := cw.Write([]string{
			f.id, f.kind, f.title, f.date.Value, precision, inferred, strings.Join(f.companies, ";"), strings.Join(f.countries, ";"),
			f.mw, f.gpus, amount, qualifier, from, cur, csvConverted(f.converted), f.status, strings.Join(f.sources, ";"),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeMarkdown writes one table per kind, in the app's tab order, with only
// the columns that kind fills.
func writeMarkdown(w io.Writer, ds *model.Dataset, recs []model.Record, currency string) error {
	byKind := map[model.Kind][]row{}
	for _, r := range recs {
		byKind[r.RecordKind()] = append(byKind[r.RecordKind()], flatten(ds, r, currency))
	}
	bw := &errWriter{w: w}
	if len(recs) == 0 {
		bw.printf("_No records match._\n")
	}
	first := true
	for _, k := range model.Kinds() {
		rows := byKind[k]
		if len(rows) == 0 {
			continue
		}
		if !first {
			bw.printf("\n")
		}
		first = false
		bw.printf("## %s (%d)\n\n", kindPlural(k), len(rows))
		cols := mdColumns(ds, currency)
		var used []mdColumn
		for _, c := range cols {
			for _, r := range rows {
				if c.always || c.cell(r) != "" {
					used = append(used, c)
					break
				}
			}
		}
		names := make([]string, len(used))
		seps := make([]string, len(used))
		for i, c := range used {
			names[i], seps[i] = c.name, "---"
			if c.numeric {
				seps[i] = "---:"
			}
		}
		bw.printf("| %s |\n|%s|\n", strings.Join(names, " | "), strings.Join(seps, "|"))
		for _, r := range rows {
			cells := make([]string, len(used))
			for i, c := range used {
				cells[i] = mdEscape(c.cell(r))
			}
			bw.printf("| %s |\n", strings.Join(cells, " | "))
		}
	}
	return bw.err
}

type mdColumn struct {
	name    string
	always  bool
	numeric bool
	cell    func(row) string
}

func mdColumns(ds *model.Dataset, currency string) []mdColumn {
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id
			if r, ok := ds.Get(id); ok {
				out[i] = r.RecordTitle()
			}
		}
		return strings.Join(out, ", ")
	}
	money := func(m *model.Money) string {
		if m == nil {
			return ""
		}
		return m.String()
	}
	return []mdColumn{
		{name: "ID", always: true, cell: func(r row) string { return "`" + r.id + "`" }},
		{name: "Title", always: true, cell: func(r row) string { return r.title }},
		{name: "Date", cell: func(r row) string { return r.date.Display() }},
		{name: "Companies", cell: func(r row) string { return names(r.companies) }},
		{name: "Country", cell: func(r row) string { return strings.Join(r.countries, ", ") }},
		{name: "MW", numeric: true, cell: func(r row) string { return r.mw }},
		{name: "GPUs", numeric: true, cell: func(r row) string { return r.gpus }},
		{name: "Amount", numeric: true, cell: func(r row) string {
			if r.amount == nil {
				return ""
			}
			// Money.String keeps the qualifier ("more than CNY 380 bn").
			s := r.amount.Money.String()
			if r.amount.From != "" {
				s += " via `" + r.amount.From + "`"
			}
			return s
		}},
		{name: currency, numeric: true, cell: func(r row) string { return money(r.converted) }},
		{name: "Status", cell: func(r row) string { return r.status }},
		{name: "Sources", cell: func(r row) string { return strings.Join(r.sources, ", ") }},
	}
}

// mdEscape keeps a cell inside its table: a pipe would end it, a newline
// would end the row.
func mdEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// errWriter remembers the first write error so a long table is written
// without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

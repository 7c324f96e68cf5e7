package data

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unsafe"

	"github.com/dcx-explorer/dcx/model"
)

// checker validates one record; every problem goes to the loader with the
// record's section and index, and a path inside the record built only when
// something is wrong.
type checker struct {
	sec, rec int
	get      func(string) (model.Record, bool)
	quotes   map[string]quoteDoc // by source id, when Options.QuoteDir is set
	// refCache caches found references by the address of the id's bytes: the
	// decoder interns ids, so the many references to one record (a source
	// cited by thousands of evidences) mostly share one string, and a
	// pointer comparison replaces hashing it into the dataset's index.
	refCache []refEntry
	refBits  int
	records  int // how many records the dataset has: sizes refCache
	// fineEvidence and fineLen are the last evidence list evidenceFine
	// passed.
	fineEvidence *model.Evidence
	fineLen      int
	// pending collects this checker's problems: sections are checked by
	// two checkers at once, and their lists are joined in section order so
	// the result is the same as checking one section after another.
	pending []pending
	dropped int
}

type quoteDoc struct {
	file, text string
}

func (c *checker) bad(rel, value, msg string) {
	if len(c.pending) >= MaxProblems {
		c.dropped++ // only counted past the cap (see MaxProblems)
		return
	}
	c.pending = append(c.pending, pending{sec: c.sec, rec: c.rec, rel: rel, value: value, msg: msg})
}

func at(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func join(rel, field string) string {
	if rel == "" {
		return field
	}
	return rel + "." + field
}

// target is what a reference must point at.
type target struct {
	kind  model.Kind
	place model.PlaceKind
}

// The targets references name; read-only, like every table of the package.
var (
	aCompany    = target{kind: model.KindCompany}
	aPlace      = target{kind: model.KindPlace}
	aCountry    = target{kind: model.KindPlace, place: model.PlaceCountry}
	aCity       = target{kind: model.KindPlace, place: model.PlaceCity}
	anAdminArea = target{kind: model.KindPlace, place: model.PlaceAdminArea}
	aFacility   = target{kind: model.KindFacility}
	aSource     = target{kind: model.KindSource}
	anInvestmnt = target{kind: model.KindInvestment}
	anyRecord   = target{}
)

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// ref checks one reference; an empty optional reference is absent.
func (c *checker) ref(rel, id string, t target) (model.Record, bool) {
	if id == "" {
		return nil, false
	}
	r, ok := c.lookup(id)
	if !ok {
		c.bad(rel, id, "no record has this id")
		return nil, false
	}
	if t.kind != "" && r.RecordKind() != t.kind {
		c.bad(rel, id, "refers to "+article(string(r.RecordKind()))+"; want "+article(string(t.kind)))
		return r, false
	}
	if t.place != "" {
		if p := r.(*model.Place); p.Kind != t.place {
			c.bad(rel, id, "refers to "+article(string(p.Kind))+"; want "+article(string(t.place)))
			return r, false
		}
	}
	return r, true
}

type refEntry struct {
	id string
	r  model.Record
}

// maxRefCacheBits bounds the cache at 65,536 entries (2 MB); a small
// dataset gets one about its own size, so validating the embedded dataset
// does not allocate megabytes for a few hundred records.
const maxRefCacheBits = 16

// lookup is get, cached (see checker.refCache). Two strings with the same bytes
// at the same address are the same id, so a hit is always right.
func (c *checker) lookup(id string) (model.Record, bool) {
	if c.refCache == nil {
		c.refBits = min(max(bits.Len(uint(c.records)), 6), maxRefCacheBits)
		c.refCache = make([]refEntry, 1<<c.refBits)
	}
	p := uint64(uintptr(unsafe.Pointer(unsafe.StringData(id))))
	e := &c.refCache[(p*0x9E3779B97F4A7C15)>>(64-c.refBits)]
	if e.r != nil && len(e.id) == len(id) && unsafe.StringData(e.id) == unsafe.StringData(id) {
		return e.r, true
	}
	r, ok := c.get(id)
	// Only records many others point at are kept: the references to a
	// facility or an investment are mostly one of a kind, and at a million
	// of them they evicted the sources, companies and places that repeat.
	if ok {
		switch r.RecordKind() {
		case model.KindSource, model.KindCompany, model.KindPlace:
			*e = refEntry{id, r}
		}
	}
	return r, ok
}

func (c *checker) refs(field string, ids []string, t target) {
	for i, id := range ids {
		if id == "" {
			c.bad(at(field, i), "", "must not be empty")
			continue
		}
		c.ref(at(field, i), id, t)
	}
}

// evidence checks a list of evidence; required lists need at least one.
func (c *checker) evidence(rel string, evs []model.Evidence, required bool) {
	if required && len(evs) == 0 {
		c.bad(rel, "", "needs at least one piece of evidence")
	}
	if c.evidenceFine(evs) {
		return
	}
	for i, ev := range evs {
		if _, ok := c.ref(join(at(rel, i), "source"), ev.Source, aSource); ok && c.quotes != nil {
			c.quote(join(at(rel, i), "quote"), ev)
		}
		c.refs(join(at(rel, i), "cites"), ev.Cites, aSource)
		for j, s := range ev.Supports {
			if strings.TrimSpace(s) == "" {
				c.bad(at(join(at(rel, i), "supports"), j), "", "must not be empty")
			}
		}
	}
}

// evidenceFine reports, without building a single path, whether evs has
// nothing to report: the case of almost every list, checked about a million
// times in a large file, where the paths of the full check cost more than
// the checks. A list the decoder shared between a record and its
// milestones is checked once.
func (c *checker) evidenceFine(evs []model.Evidence) bool {
	if len(evs) == 0 {
		return true
	}
	if c.quotes != nil {
		return false // quote checks report per path; take the full way
	}
	if &evs[0] == c.fineEvidence && len(evs) == c.fineLen {
		return true
	}
	for _, ev := range evs {
		if r, ok := c.lookup(ev.Source); !ok || r.RecordKind() != model.KindSource {
			return false
		}
		for _, id := range ev.Cites {
			if r, ok := c.lookup(id); !ok || r.RecordKind() != model.KindSource {
				return false
			}
		}
		for _, s := range ev.Supports {
			if strings.TrimSpace(s) == "" {
				return false
			}
		}
	}
	c.fineEvidence, c.fineLen = &evs[0], len(evs)
	return true
}

// quote checks that a quote from a source with a file copy is a verbatim
// substring of that file, and when it is not, says how close it came.
func (c *checker) quote(rel string, ev model.Evidence) {
	doc, ok := c.quotes[ev.Source]
	if !ok || ev.Quote == "" || strings.Contains(doc.text, ev.Quote) {
		return
	}
	why := "not found verbatim in " + doc.file
	switch {
	case strings.Contains(normalizeQuote(doc.text), normalizeQuote(ev.Quote)):
		why += " (it differs only in white space or typographic quotes and apostrophes)"
	case strings.Contains(strings.ToLower(doc.text), strings.ToLower(ev.Quote)):
		why += " (it differs only in letter case)"
	}
	c.bad(rel, ev.Quote, why)
}

// quoteFolder folds typographic quotes for normalizeQuote; a Replacer is
// safe for concurrent use and is never changed.
var quoteFolder = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "«", `"`, "»", `"`)

func normalizeQuote(s string) string {
	return strings.Join(strings.Fields(quoteFolder.Replace(s)), " ")
}

func (c *checker) date(rel string, d model.Date) {
	if d.Value != "" {
		if _, p, err := model.ParseDateValue(d.Value); err != nil {
			c.bad(join(rel, "value"), d.Value, "not a date; want YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD with real month and day")
		} else if d.Precision != "" && known(d.Precision, precisions) && d.Precision != p {
			c.bad(join(rel, "precision"), string(d.Precision), fmt.Sprintf("does not match value %q, which has %s precision", d.Value, p))
		}
	}
	if d.Precision != "" && !known(d.Precision, precisions) {
		c.bad(join(rel, "precision"), string(d.Precision), "unknown precision; want one of "+listOf(precisions))
	}
	if d.Qualifier != "" && !known(d.Qualifier, model.DateQualifiers()) {
		c.bad(join(rel, "qualifier"), d.Qualifier, "unknown qualifier; want one of "+strings.Join(model.DateQualifiers(), ", "))
	}
	if d.Inferred && strings.TrimSpace(d.Basis) == "" {
		c.bad(join(rel, "basis"), "", "an inferred date needs a basis: say how it was inferred")
	}
}

func (c *checker) money(rel string, m model.Money) {
	if m.Currency != "" {
		if ok := model.KnownCurrency(m.Currency); !ok {
			c.bad(join(rel, "currency"), m.Currency, "unknown currency; want an ISO 4217 code, one of "+strings.Join(model.CurrencyCodes(), ", "))
		}
	}
	c.nonNegative(join(rel, "amount"), m.Amount)
}

// Upper bounds of a facility's figures: values past them are typos or
// unit slips (kW for MW, a total for a count), not announcements.
const (
	// maxMW, 100 GW, is twenty times the largest campuses announced (about
	// 5 GW) and a tenth of the generating capacity of the United States.
	maxMW = 100_000
	// maxGPUs, ten million, is ten times the largest clusters announced
	// (about a million accelerators).
	maxGPUs = 10_000_000
)

// inRange checks that v is within [0, upper], unit naming what it counts.
func (c *checker) inRange(rel string, v, upper float64, unit string) {
	if v > upper {
		c.bad(rel, num(v), fmt.Sprintf("more than %s %s; no facility is that large (a unit slip?)", num(upper), unit))
		return
	}
	c.nonNegative(rel, v)
}

func (c *checker) nonNegative(rel string, v float64) {
	if v < 0 {
		c.bad(rel, num(v), "must not be negative")
	}
}

// num renders a number as a person wrote it: 1000000000, not 1e+09.
func num(v float64) string {
	if v > -1e21 && v < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (c *checker) coords(rel string, co *model.Coords) {
	if co == nil {
		return
	}
	if co.Lat < -90 || co.Lat > 90 {
		c.bad(join(rel, "lat"), num(co.Lat), "latitude must be within [-90, 90]")
	}
	if co.Lon < -180 || co.Lon > 180 {
		c.bad(join(rel, "lon"), num(co.Lon), "longitude must be within [-180, 180]")
	}
}

func enum[T ~string](c *checker, rel string, v T, list []T, what string) {
	if v != "" && !known(v, list) {
		c.bad(rel, string(v), "unknown "+what+"; want one of "+listOf(list))
	}
}

// base checks what every record with an id carries.
func (c *checker) base(b *model.Base, needsEvidence bool) {
	if b.ID != "" && !isSlug(b.ID) {
		c.bad("id", b.ID, "an id must be a lower-case slug: a-z and 0-9 in words joined by single hyphens")
	}
	c.evidence("evidence", b.Evidence, needsEvidence)
	for i, cf := range b.Conflicts {
		rel := at("conflicts", i)
		if len(cf.Values) < 2 {
			c.bad(join(rel, "values"), "", "a conflict needs at least two values, each with its evidence")
		}
		for j, v := range cf.Values {
			c.evidence(join(at(join(rel, "values"), j), "evidence"), v.Evidence, true)
		}
	}
	for i, f := range b.NotFound {
		if strings.TrimSpace(f) == "" {
			c.bad(at("not_found", i), "", "must name a field")
		}
	}
	for i, f := range b.ThirdParty {
		if strings.TrimSpace(f) == "" {
			c.bad(at("third_party_fields", i), "", "must name a field")
		}
	}
}

// sameCountry checks that a city lies in the country a record names.
func (c *checker) sameCountry(city model.Record, country string) {
	p, ok := city.(*model.Place)
	if ok && p.Country != "" && country != "" && p.Country != country {
		c.bad("country", country, fmt.Sprintf("city %q is in %q, not in this country", p.ID, p.Country))
	}
}

// sameCountryAs checks that a place a record names lies in its country.
func (c *checker) sameCountryAs(field string, place model.Record, country string) {
	p, ok := place.(*model.Place)
	if ok && p.Country != "" && country != "" && p.Country != country {
		c.bad(field, p.ID, fmt.Sprintf("lies in %q, not in %q", p.Country, country))
	}
}

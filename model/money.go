package model

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Money is an amount in the currency a source stated it in (ISO 4217).
type Money struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	// Qualifier keeps the source's hedge: "about", "at least", "more than",
	// "up to".
	Qualifier string `json:"qualifier,omitempty"`
}

// currencies are the ISO 4217 codes the dataset may use, with their symbols.
var currencies = map[string]string{
	"USD": "$", "EUR": "€", "CNY": "¥", "KRW": "₩", "JPY": "¥", "GBP": "£",
	"AED": "AED ", "SGD": "S$", "AUD": "A$", "INR": "₹", "HKD": "HK$", "SAR": "SAR ",
	"BRL": "R$", "MXN": "MX$", "MYR": "RM", "IDR": "Rp", "THB": "฿", "PHP": "₱",
	"CAD": "C$", "NZD": "NZ$", "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "CHF": "CHF ", "ZAR": "ZAR ",
	"VND": "₫", "TWD": "NT$", "QAR": "QAR ", "NGN": "₦", "KES": "KES ", "PLN": "PLN ", "TRY": "₺",
	"CLP": "CLP ", "COP": "COP ", "ARS": "ARS ", "EGP": "EGP ", "KWD": "KWD ", "OMR": "OMR ", "BHD": "BHD ",
}

var displayCurrencies = []string{"", "USD", "EUR", "CNY"}

// DisplayCurrencies lists the currencies every dataset offers: "" (each
// amount in its original currency), USD, EUR and CNY. Dataset.
// DisplayCurrencies adds the others its rates reach.
func DisplayCurrencies() []string { return slices.Clone(displayCurrencies) }

// DisplayCurrencies lists the currencies amounts of this dataset can be
// shown in: those of the package-level DisplayCurrencies, then, sorted,
// every other currency the rate table's usable rates reach (KRW, JPY, ...).
func (d *Dataset) DisplayCurrencies() []string {
	out := DisplayCurrencies()
	for _, c := range d.RateTable().Currencies() {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// KnownCurrency reports whether code is an ISO 4217 code the dataset may use.
func KnownCurrency(code string) bool { _, ok := currencies[code]; return ok }

// CurrencyCodes lists the codes the dataset may use, sorted.
func CurrencyCodes() []string { return slices.Sorted(maps.Keys(currencies)) }

// String renders the amount compactly with its currency code: "CNY 380 bn".
func (m Money) String() string {
	s := m.Currency + " " + HumanAmount(m.Amount)
	if m.Qualifier != "" {
		s = m.Qualifier + " " + s
	}
	return s
}

// HumanAmount renders a number with a scale word: 52.9 bn, 103 k, 1.2 trn.
func HumanAmount(v float64) string {
	abs := math.Abs(v)
	switch {
	case abs >= 1e12:
		return trimFloat(v/1e12) + " trn"
	case abs >= 1e9:
		return trimFloat(v/1e9) + " bn"
	case abs >= 1e6:
		return trimFloat(v/1e6) + " m"
	case abs >= 1e4:
		return trimFloat(v/1e3) + " k"
	}
	return trimFloat(v)
}

func trimFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Conversion is the result of converting money: the converted amount, the
// rates used, leg by leg, and why those, so the user can see where the
// figure comes from.
type Conversion struct {
	From  Money
	To    Money
	Legs  []Rate
	Exact bool // true when no conversion was needed
	// Reason says why these rates: "reference rate nearest the date", or
	// "implied by a report: no reference rate between USD and KRW".
	Reason string
}

// Describe says which rates were used, each written the way round that reads
// best: "1 USD = 1380 KRW (implied, 16 Jun 2025)", not "1 KRW = 0.000725 USD",
// followed by the reason they were chosen.
func (c Conversion) Describe() string {
	if c.Exact {
		return "original currency"
	}
	parts := make([]string, 0, len(c.Legs))
	for _, r := range c.Legs {
		base, quote, v := r.Base, r.Quote, r.Value
		if v > 0 && v < 1 {
			base, quote, v = quote, base, 1/v
		}
		parts = append(parts, fmt.Sprintf("1 %s = %s %s (%s, %s)", base, strconv.FormatFloat(v, 'g', 6, 64), quote, r.Origin, r.Date))
	}
	s := strings.Join(parts, "; ")
	if c.Reason != "" {
		s += " — " + c.Reason
	}
	return s
}

// RateTable converts money through a dated table of rates, choosing for each
// currency pair the rate closest to the date of the fact, reference rates
// before implied ones.
type RateTable struct {
	rates []Rate
	mids  []time.Time // each rate's Date.Mid, parsed once: closest runs per conversion
	pairs map[[2]string][]int
}

// NewRateTable indexes rates by pair, both directions. Disputed rates are
// left out of the index: conversion never uses them.
func NewRateTable(rates []Rate) *RateTable {
	t := &RateTable{rates: rates, mids: make([]time.Time, len(rates)), pairs: map[[2]string][]int{}}
	for i, r := range rates {
		t.mids[i] = r.Date.Mid()
		if r.Disputed != "" {
			continue
		}
		t.pairs[[2]string{r.Base, r.Quote}] = append(t.pairs[[2]string{r.Base, r.Quote}], i)
		t.pairs[[2]string{r.Quote, r.Base}] = append(t.pairs[[2]string{r.Quote, r.Base}], i)
	}
	return t
}

// Currencies lists the currencies the table's usable rates name, sorted:
// those a conversion can reach.
func (t *RateTable) Currencies() []string {
	seen := map[string]bool{}
	for pair := range t.pairs {
		seen[pair[0]] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// closest returns the rate of the given origin for from→to nearest to at, as
// a rate whose Base is from (inverting a stored rate if needed).
func (t *RateTable) closest(from, to string, at time.Time, origin RateOrigin) (Rate, bool) {
	best, bestD := -1, time.Duration(0)
	for _, i := range t.pairs[[2]string{from, to}] {
		if t.rates[i].Origin != origin {
			continue
		}
		d := t.mids[i].Sub(at)
		if d < 0 {
			d = -d
		}
		// Ties go to the earlier entry: the table's order is its preference.
		// A date far from every rate (or none: the zero date) saturates
		// Sub; the first entry still wins.
		if best < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return Rate{}, false
	}
	r := t.rates[best]
	if r.Base != from {
		r.Base, r.Quote, r.Value = r.Quote, r.Base, 1/r.Value
	}
	return r, true
}

// options are the rates a leg from→to may use: the nearest reference rate
// and the nearest implied one, those that exist.
func (t *RateTable) options(from, to string, at time.Time) []Rate {
	var out []Rate
	for _, o := range []RateOrigin{RateReference, RateImplied} {
		if r, ok := t.closest(from, to, at, o); ok {
			out = append(out, r)
		}
	}
	return out
}

// Convert converts m into currency to. Of the direct pair and the paths
// through USD, EUR or CNY it takes, first, the one with the fewest implied
// rates: a path of reference rates beats any path through a rate a report
// implies, which carries the rounding of the report's figures, and an
// implied rate is used only where a pair has no reference rate. Among
// those, the one whose farthest leg is nearest in time to the fact: a
// same-week rate through USD beats a direct rate from seven months later.
// A tie goes to the direct pair. Disputed rates are never used (see
// Rate.Disputed).
func (t *RateTable) Convert(m Money, to string, at Date) (Conversion, error) {
	c := Conversion{From: m}
	if m.Currency == to {
		c.To, c.Exact = m, true
		return c, nil
	}
	when := at.Mid()
	var best []Rate
	bestImplied, bestD := math.MaxInt, time.Duration(math.MaxInt64)
	consider := func(legs ...Rate) {
		var worst time.Duration
		implied := 0
		for _, r := range legs {
			d := r.Date.Mid().Sub(when)
			if d < 0 {
				d = -d
			}
			worst = max(worst, d)
			if r.Origin != RateReference {
				implied++
			}
		}
		if implied < bestImplied || implied == bestImplied && worst < bestD {
			best, bestImplied, bestD = slices.Clone(legs), implied, worst
		}
	}
	for _, r := range t.options(m.Currency, to, when) {
		consider(r)
	}
	for _, via := range []string{"USD", "EUR", "CNY"} {
		if via == m.Currency || via == to {
			continue
		}
		for _, r1 := range t.options(m.Currency, via, when) {
			for _, r2 := range t.options(via, to, when) {
				consider(r1, r2)
			}
		}
	}
	if best == nil {
		return c, fmt.Errorf("no exchange rate from %s to %s", m.Currency, to)
	}
	amount := m.Amount
	for _, r := range best {
		amount *= r.Value
	}
	c.To = Money{Amount: amount, Currency: to, Qualifier: "about"}
	c.Legs = best
	c.Reason = reason(best)
	return c, nil
}

// reason says why Convert chose legs. An implied leg is only chosen where
// its pair has no usable reference rate (a reference rate there would make
// a path with fewer implied legs), so that is what it says.
func reason(legs []Rate) string {
	var missing []string
	for _, r := range legs {
		if r.Origin != RateReference {
			missing = append(missing, r.Base+" and "+r.Quote)
		}
	}
	if len(missing) == 0 {
		if len(legs) > 1 {
			return "reference rates nearest the date"
		}
		return "reference rate nearest the date"
	}
	return "implied by a report: no reference rate between " + strings.Join(missing, ", nor ")
}

// ImpliedRate is the rate a report implies against the canonical amount:
// 1 report-currency = x canonical-currency.
func ImpliedRate(canonical, reported Money) (float64, bool) {
	if reported.Amount == 0 || canonical.Currency == reported.Currency {
		return 0, false
	}
	return canonical.Amount / reported.Amount, true
}

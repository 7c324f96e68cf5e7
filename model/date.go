package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a date is known.
type Precision string

const (
	PrecisionDay     Precision = "day"
	PrecisionMonth   Precision = "month"
	PrecisionQuarter Precision = "quarter"
	PrecisionYear    Precision = "year"
)

// Date is a date as a source gave it: an absolute value at some precision
// ("2025-06-19", "2025-06", "2025-Q2", "2025"), the phrase as stated in the
// source's language, a qualifier ("by" for a deadline such as "entro la fine di
// giugno") and whether the absolute value was inferred, with the basis.
type Date struct {
	Value string `json:"value"`
	// Precision is derived from Value; when given in the data it must agree.
	Precision Precision `json:"precision,omitempty"`
	AsStated  string    `json:"as_stated,omitempty"`
	Qualifier string    `json:"qualifier,omitempty"`
	Inferred  bool      `json:"inferred,omitempty"`
	Basis     string    `json:"basis,omitempty"`
}

var dateQualifiers = []string{"by", "before", "after", "around", "from", "until"}

// DateQualifiers lists the qualifiers a Date may carry.
func DateQualifiers() []string { return slices.Clone(dateQualifiers) }

// ParseDateValue parses an absolute date value and returns the first day it
// covers and its precision.
func ParseDateValue(v string) (time.Time, Precision, error) {
	switch {
	case len(v) == 4:
		y, err := strconv.Atoi(v)
		if err != nil || y < 1 {
			return time.Time{}, "", fmt.Errorf("date %q: want YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD", v)
		}
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), PrecisionYear, nil
	case len(v) == 7 && (v[5] == 'Q' || v[5] == 'q'):
		y, err := strconv.Atoi(v[:4])
		q, err2 := strconv.Atoi(v[6:])
		if err != nil || err2 != nil || v[4] != '-' || q < 1 || q > 4 || y < 1 {
			return time.Time{}, "", fmt.Errorf("date %q: quarter must be YYYY-Q1..YYYY-Q4", v)
		}
		return time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC), PrecisionQuarter, nil
	case len(v) == 7:
		y, m, _, ok := calendarDate(v, false)
		if !ok {
			return time.Time{}, "", fmt.Errorf("date %q: month must be YYYY-MM", v)
		}
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), PrecisionMonth, nil
	case len(v) == 10:
		y, m, d, ok := calendarDate(v, true)
		if !ok {
			return time.Time{}, "", fmt.Errorf("date %q: day must be a real YYYY-MM-DD", v)
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), PrecisionDay, nil
	}
	return time.Time{}, "", fmt.Errorf("date %q: want YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD", v)
}

// calendarDate reads YYYY-MM, or YYYY-MM-DD when withDay, as time.Parse
// would (a real day of that month, year 0000 included) at a tenth of its
// cost: the tables sort by dates, thousands of them at start-up.
func calendarDate(v string, withDay bool) (y, m, d int, ok bool) {
	digits := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	y, okY := digits(v[:4])
	m, okM := digits(v[5:7])
	if !okY || !okM || v[4] != '-' || m < 1 || m > 12 {
		return 0, 0, 0, false
	}
	if !withDay {
		return y, m, 1, true
	}
	d, okD := digits(v[8:10])
	if !okD || v[7] != '-' || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// daysIn is the number of days of month m (1-12) of year y.
func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Start is the first day the date covers; the zero time when it does not parse.
func (d Date) Start() time.Time {
	t, _, _ := ParseDateValue(d.Value)
	return t
}

// End is the first day after the span the date covers.
func (d Date) End() time.Time {
	t, p, err := ParseDateValue(d.Value)
	if err != nil {
		return time.Time{}
	}
	switch p {
	case PrecisionYear:
		return t.AddDate(1, 0, 0)
	case PrecisionQuarter:
		return t.AddDate(0, 3, 0)
	case PrecisionMonth:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// Mid is the middle of the span: the point used to pick the closest rate.
func (d Date) Mid() time.Time {
	s, e := d.Start(), d.End()
	return s.Add(e.Sub(s) / 2)
}

// Year is the calendar year, 0 when the date does not parse.
func (d Date) Year() int {
	if d.Value == "" {
		return 0
	}
	return d.Start().Year()
}

// IsZero reports whether no date is set.
func (d Date) IsZero() bool { return d.Value == "" }

// Prec is the precision of the value, derived from its form.
func (d Date) Prec() Precision {
	_, p, _ := ParseDateValue(d.Value)
	return p
}

// String renders the date at its precision, with its qualifier: "by Jun 2025",
// "Q3 2025", "19 Jun 2025". Inference is not shown here; views mark it.
func (d Date) String() string {
	t, p, err := ParseDateValue(d.Value)
	if err != nil {
		return d.Value
	}
	var s string
	switch p {
	case PrecisionYear:
		s = t.Format("2006")
	case PrecisionQuarter:
		s = fmt.Sprintf("Q%d %d", (int(t.Month())-1)/3+1, t.Year())
	case PrecisionMonth:
		s = t.Format("Jan 2006")
	default:
		s = t.Format("2 Jan 2006")
	}
	if d.Qualifier != "" {
		s = d.Qualifier + " " + s
	}
	return s
}

// Display is the date as a list or an export shows it: String, marked "~"
// in front when the value was worked out rather than stated ("~29 Aug
// 2025"); "" for no date. The mark is the app's, so a reader of a table and
// of an export reads the same thing; the basis is for the detail to show.
func (d Date) Display() string {
	if d.IsZero() {
		return ""
	}
	s := d.String()
	if d.Inferred {
		s = "~" + s
	}
	return s
}

// precisionRank orders precisions coarsest first.
var precisionRank = map[Precision]int{PrecisionYear: 0, PrecisionQuarter: 1, PrecisionMonth: 2, PrecisionDay: 3}

// CompareDates is the one order of dates of different precision, for every
// list and sort: by the first day each covers, so "2025" and "Q1 2025" come
// with January 2025; on the same first day the coarser date first (the year,
// then the quarter, the month, the day it begins with), since it says less
// about when; then by value. A date without a value, or with one that does
// not parse, comes after every real date. The qualifier and the inference
// do not move a date: "by Jun 2025" and "from Jun 2025" sort with June 2025
// and compare equal to it, for a stable sort or a caller's own key to
// order.
func CompareDates(a, b Date) int {
	at, ap, aerr := ParseDateValue(a.Value)
	bt, bp, berr := ParseDateValue(b.Value)
	switch {
	case aerr != nil && berr != nil:
		// Both unusable: the unset ones last, the rest by their text.
		return cmp.Or(cmp.Compare(boolRank(a.Value == ""), boolRank(b.Value == "")), strings.Compare(a.Value, b.Value))
	case aerr != nil:
		return 1
	case berr != nil:
		return -1
	}
	return cmp.Or(at.Compare(bt), cmp.Compare(precisionRank[ap], precisionRank[bp]), strings.Compare(a.Value, b.Value))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Sortable is a key that orders set dates as CompareDates does, as a
// string (a column's sort key); a date without a value gives "", which
// sorts first, so callers that put missing dates last must say so.
func (d Date) Sortable() string {
	if d.Value == "" {
		return ""
	}
	t, p, _ := ParseDateValue(d.Value)
	// What t.Format("2006-01-02") gives, without its layout parsing: tabs
	// sort thousands of these.
	y, m, day := t.Date()
	b := make([]byte, 0, 12)
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
	return string(strconv.AppendInt(b, int64(precisionRank[p]), 10))
}

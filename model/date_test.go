package model

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDateValue(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		in    string
		start time.Time
		prec  Precision
		err   bool
	}{
		{"2025", day(2025, 1, 1), PrecisionYear, false},
		{"2025-Q3", day(2025, 7, 1), PrecisionQuarter, false},
		{"2025-q1", day(2025, 1, 1), PrecisionQuarter, false},
		{"2025-06", day(2025, 6, 1), PrecisionMonth, false},
		{"2025-06-19", day(2025, 6, 19), PrecisionDay, false},
		{"2025-02-30", time.Time{}, "", true},
		{"2025-Q5", time.Time{}, "", true},
		{"2025-13", time.Time{}, "", true},
		{"25", time.Time{}, "", true},
		{"", time.Time{}, "", true},
		{"abcd", time.Time{}, "", true},
		{"0000", time.Time{}, "", true},
	}
	for _, c := range cases {
		start, prec, err := ParseDateValue(c.in)
		if (err != nil) != c.err {
			t.Errorf("ParseDateValue(%q) error = %v, want error %v", c.in, err, c.err)
			continue
		}
		if !start.Equal(c.start) || prec != c.prec {
			t.Errorf("ParseDateValue(%q) = %v %q, want %v %q", c.in, start, prec, c.start, c.prec)
		}
	}
}

func TestDateSpanAndString(t *testing.T) {
	cases := []struct {
		d        Date
		str      string
		end      string
		mid      string
		sortable string
	}{
		{Date{Value: "2025-06", Qualifier: "by"}, "by Jun 2025", "2025-07-01", "2025-06-16", "2025-06-012"},
		{Date{Value: "2025-Q3"}, "Q3 2025", "2025-10-01", "2025-08-16", "2025-07-011"},
		{Date{Value: "2025"}, "2025", "2026-01-01", "2025-07-02", "2025-01-010"},
		{Date{Value: "2025-08-29"}, "29 Aug 2025", "2025-08-30", "2025-08-29", "2025-08-293"},
	}
	for _, c := range cases {
		if got := c.d.String(); got != c.str {
			t.Errorf("%v.String() = %q, want %q", c.d.Value, got, c.str)
		}
		if got := c.d.End().Format("2006-01-02"); got != c.end {
			t.Errorf("%v.End() = %s, want %s", c.d.Value, got, c.end)
		}
		if got := c.d.Mid().Format("2006-01-02"); got != c.mid {
			t.Errorf("%v.Mid() = %s, want %s", c.d.Value, got, c.mid)
		}
		if got := c.d.Sortable(); got != c.sortable {
			t.Errorf("%v.Sortable() = %s, want %s", c.d.Value, got, c.sortable)
		}
	}
	// A coarser date sorts before a finer one that starts on the same day.
	if !(Date{Value: "2025"}.Sortable() < Date{Value: "2025-01-01"}.Sortable()) {
		t.Error("year should sort before its first day")
	}
	if (Date{}).Year() != 0 || (Date{Value: "2016-11-21"}).Year() != 2016 {
		t.Error("Year() wrong")
	}
}

func TestFacilityAnnouncedDate(t *testing.T) {
	f := &Facility{Milestones: []Milestone{
		{Kind: MilestoneSiteAcquired, Date: Date{Value: "2025-04"}},
		{Kind: MilestoneAnnounced, Date: Date{Value: "2025-06-16"}},
	}}
	if got := f.AnnouncedDate().Value; got != "2025-06-16" {
		t.Errorf("AnnouncedDate = %q, want the announced milestone", got)
	}
	f.Milestones = f.Milestones[:1]
	if got := f.AnnouncedDate().Value; got != "2025-04" {
		t.Errorf("AnnouncedDate = %q, want the first milestone when none is 'announced'", got)
	}
	if !(&Facility{}).AnnouncedDate().IsZero() {
		t.Error("a facility without milestones has no date")
	}
}

func TestDateDisplay(t *testing.T) {
	for _, c := range []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{Value: "2025-08-29"}, "29 Aug 2025"},
		{Date{Value: "2025-08-29", Inferred: true, Basis: "said on Friday"}, "~29 Aug 2025"},
		{Date{Value: "2025-06", Qualifier: "by", Inferred: true}, "~by Jun 2025"},
		{Date{Value: "2025-Q3"}, "Q3 2025"},
	} {
		if got := c.d.Display(); got != c.want {
			t.Errorf("%+v.Display() = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestCompareDates(t *testing.T) {
	year := Date{Value: "2025"}
	// The dataset has no half-year precision: a half keeps its year and the
	// phrase as stated, so it sorts as the year.
	half := Date{Value: "2025", AsStated: "second half of 2025"}
	q1 := Date{Value: "2025-Q1"}
	jan := Date{Value: "2025-01"}
	jan1 := Date{Value: "2025-01-01"}
	jan2 := Date{Value: "2025-01-02"}
	q2 := Date{Value: "2025-Q2"}
	byJun := Date{Value: "2025-06", Qualifier: "by"}
	jun := Date{Value: "2025-06"}
	fromJun := Date{Value: "2025-06", Qualifier: "from", Inferred: true, Basis: "b"}
	jun19 := Date{Value: "2025-06-19"}
	prev := Date{Value: "2024-12-31"}
	zero := Date{}
	bad := Date{Value: "2025-13"}
	tests := []struct {
		name string
		a, b Date
		want int
	}{
		{"earlier start first, whatever the precision", prev, year, -1},
		{"a year before its first quarter", year, q1, -1},
		{"a quarter before its first month", q1, jan, -1},
		{"a month before its first day", jan, jan1, -1},
		{"a year before its first day", year, jan1, -1},
		{"the first day before the second", jan1, jan2, -1},
		{"a later quarter after an earlier day", q2, jan2, 1},
		{"a quarter before a month it contains but does not start", q2, jun, -1},
		{"a half sorts as its year", half, year, 0},
		{"a half before the year's first quarter", half, q1, -1},
		{"by does not move a date", byJun, jun, 0},
		{"from does not move a date", fromJun, jun, 0},
		{"by June before a day in June", byJun, jun19, -1},
		{"from June after May", fromJun, Date{Value: "2025-05-31"}, 1},
		{"a zero date last", zero, prev, 1},
		{"a zero date last, after an unparsable one", zero, bad, 1},
		{"an unparsable date after a real one", bad, jun19, 1},
		{"zero dates equal", zero, Date{}, 0},
		{"the same day", jun19, Date{Value: "2025-06-19"}, 0},
	}
	for _, tt := range tests {
		if got := CompareDates(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: CompareDates(%q, %q) = %d, want %d", tt.name, tt.a.String(), tt.b.String(), got, tt.want)
		}
		if got := CompareDates(tt.b, tt.a); got != -tt.want {
			t.Errorf("%s, swapped: CompareDates(%q, %q) = %d, want %d", tt.name, tt.b.String(), tt.a.String(), got, -tt.want)
		}
		// Sortable agrees for set dates.
		if !tt.a.IsZero() && !tt.b.IsZero() && tt.a.Value != bad.Value && tt.b.Value != bad.Value {
			if got := strings.Compare(tt.a.Sortable(), tt.b.Sortable()); got != tt.want {
				t.Errorf("%s: Sortable compares %d, CompareDates %d", tt.name, got, tt.want)
			}
		}
	}

	got := []Date{zero, jun19, fromJun, q2, jan2, jan1, jan, q1, year, prev, bad}
	slices.SortStableFunc(got, CompareDates)
	want := []string{"2024-12-31", "2025", "2025-Q1", "2025-01", "2025-01-01", "2025-01-02", "2025-Q2", "2025-06", "2025-06-19", "2025-13", ""}
	var vals []string
	for _, d := range got {
		vals = append(vals, d.Value)
	}
	if !slices.Equal(vals, want) {
		t.Errorf("sorted %v, want %v", vals, want)
	}
}

// TestDateValueAgreesWithTimeParse: the hand-written reading of YYYY-MM
// and YYYY-MM-DD accepts and rejects what time.Parse does, leap days and
// stray signs included, and gives the same day.
func TestDateValueAgreesWithTimeParse(t *testing.T) {
	vals := []string{}
	for y := 0; y < 2100; y += 7 {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				vals = append(vals, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")+"-"+two(m)+"-"+two(d))
			}
			vals = append(vals, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")+"-"+two(m))
		}
	}
	vals = append(vals, "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "2024-1-011", "2024/01/01", "20a4-01-01", "2024-01-0a", "+024-01-01", "2024-+1-01", "2024-01", "-024-01", "2024-0 ", " 2024-01")
	for _, v := range vals {
		var want time.Time
		var err error
		if len(v) == 7 {
			want, err = time.Parse("2006-01", v)
		} else {
			want, err = time.Parse("2006-01-02", v)
		}
		got, p, gerr := ParseDateValue(v)
		if (err == nil) != (gerr == nil) || (err == nil && !got.Equal(want)) {
			t.Errorf("%q: got %v %v, time.Parse %v %v", v, got, gerr, want, err)
		}
		if s, want := (Date{Value: v}).Sortable(), got.Format("2006-01-02")+strconv.Itoa(precisionRank[p]); s != want {
			t.Errorf("%q: Sortable %q, want %q", v, s, want)
		}
	}
}

// two writes n (0-99) with two digits.
func two(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

func TestLayoutColumns(t *testing.T) {
	t.Parallel()
	cols := []column{
		{title: "Date", min: 8, max: 20, keep: true},
		{title: "Headline", min: 10, max: 90, flex: 5},
		{title: "Companies", min: 10, max: 40, flex: 2},
		{title: "Status", min: 8, max: 12},
	}
	content := []int{17, 80, 30, 12}
	sum := func(ws []int) (n int) {
		for _, w := range ws {
			if w > 0 {
				n += w + 2
			}
		}
		return n - 2
	}
	t.Run("room for all", func(t *testing.T) {
		w := layoutColumns(cols, content, 200)
		if want := []int{17, 80, 30, 12}; !equalInts(w, want) {
			t.Fatalf("widths %v, want every column at its content %v", w, want)
		}
	})
	t.Run("text gives way, the date never", func(t *testing.T) {
		w := layoutColumns(cols, content, 80)
		if w[0] != 17 {
			t.Fatalf("date column %d wide, want its content's 17: %v", w[0], w)
		}
		if sum(w) != 80 {
			t.Fatalf("widths %v use %d columns, want 80", w, sum(w))
		}
		if w[1] <= w[2] {
			t.Fatalf("headline (weight 5) %d not wider than companies (weight 2) %d", w[1], w[2])
		}
		if w[3] != 12 {
			t.Fatalf("fixed status column shrank to %d before the flexible ones reached their min", w[3])
		}
	})
	t.Run("narrow drops from the right", func(t *testing.T) {
		w := layoutColumns(cols, content, 40)
		if w[0] != 17 || w[3] != 0 || sum(w) > 40 {
			t.Fatalf("widths %v at 40: want the date whole, status dropped, total ≤ 40", w)
		}
	})
	t.Run("short content does not take its min", func(t *testing.T) {
		w := layoutColumns([]column{{title: "Code", min: 15, max: 30, keep: true}, {title: "X", min: 4, max: 4}}, []int{6, 1}, 100)
		if w[0] != 6 {
			t.Fatalf("code column %d wide for 6-cell codes", w[0])
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFitMiddle(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{"Alibaba Cloud first data center in Netherlands", 31, "Alibaba Cloud firs… Netherlands"},
		{"Alibaba Cloud first data center in Brazil", 24, "Alibaba Cloud fi… Brazil"},
		{"short", 10, "short     "},
		// A last word too long to keep whole: cut from the end.
		{"Microsoft–G42 Abu Dhabi expansion", 17, "Microsoft–G42 Ab…"},
	} {
		got := fitMiddle(c.s, c.w)
		if got != c.want {
			t.Errorf("fitMiddle(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
		if ansi.StringWidth(got) != c.w {
			t.Errorf("fitMiddle(%q, %d) is %d cells wide", c.s, c.w, ansi.StringWidth(got))
		}
	}
	if got := fitMiddle("Supercalifragilisticexpialidocious", 16); !strings.HasSuffix(got, "…cious") || !strings.HasPrefix(got, "Supercal") {
		t.Errorf("a long single word keeps its start and end: %q", got)
	}
}

// A zone shown without its region row carries the region's provider, city
// and status; under its region it leaves them blank.
func TestLoneZoneCarriesRegion(t *testing.T) {
	t.Parallel()
	ds := smallDataset(t)
	m := newTestModel(t, ds, Options{Query: "apne2-az1", Tab: "regions"})
	resize(m, 160, 30)
	tb := m.browse.cur()
	if len(tb.rows) != 1 {
		t.Fatalf("%d rows for one zone", len(tb.rows))
	}
	row := tb.renderRow(0, paint{})
	for _, want := range []string{"apne2-az1", "Amazon Web Services", "Seoul", "active"} {
		if !strings.Contains(row, want) {
			t.Errorf("lone zone row lacks %q: %q", want, row)
		}
	}
	m = newTestModel(t, ds, Options{Tab: "regions"})
	resize(m, 160, 30)
	tb = m.browse.cur()
	for i, idx := range tb.rows {
		if ds.Records()[idx].RecordID() != "aws-ap-northeast-2/apne2-az1" {
			continue
		}
		if row := tb.renderRow(i, paint{}); strings.Contains(row, "Amazon") {
			t.Errorf("zone under its region repeats the provider: %q", row)
		}
		return
	}
	t.Fatal("zone apne2-az1 not listed")
}

// At the sizes people use, no date, code or number on screen loses a
// character: every keep column shows each visible cell whole.
func TestKeepColumnsWhole(t *testing.T) {
	t.Parallel()
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cat := NewCatalog(search.NewEngine(ds))
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {160, 45}, {200, 60}} {
		m := newTestModelOn(t, cat, Options{})
		resize(m, size[0], size[1])
		for tab := range m.browse.tabs {
			m.browse.setTab(tab)
			tb := m.browse.cur()
			end := min(tb.offset+tb.bodyH, len(tb.rows))
			for i := tb.offset; i < end; i++ {
				row := ansi.Strip(tb.renderRow(i, paint{}))
				cells := tb.cellsOf(tb.rows[i])
				for j, col := range tb.cols {
					if !col.keep || tb.widths[j] == 0 || cells[j] == "" {
						continue
					}
					if !strings.Contains(row, cells[j]) {
						t.Errorf("%dx%d %s: %s cell %q cut in %q", size[0], size[1], tb.spec.name, col.title, cells[j], row)
					}
				}
			}
		}
	}
}

// Reversed, a sort still puts the rows without a value last: the largest
// campus comes first, not six facilities without a figure.
func TestReverseSortBlanksLast(t *testing.T) {
	m := embeddedModel(t, Options{Tab: "facilities"})
	resize(m, 160, 40)
	tb := m.browse.cur()
	mw := -1
	for i, col := range tb.spec.cols {
		if col.title == "MW" {
			mw = i
		}
	}
	for tb.sortCol != mw {
		press(m, "s")
	}
	press(m, "S")
	recs := m.c.ds.Records()
	power := func(i int) *float64 { return recs[tb.rows[i]].(*model.Facility).PowerMW }
	if power(0) == nil {
		t.Fatal("reverse sort by MW starts with a facility without MW")
	}
	blank := false
	for i := range tb.rows {
		p := power(i)
		if p == nil {
			blank = true
			continue
		}
		if blank {
			t.Fatalf("row %d has %v MW after a blank", i, *p)
		}
		if i > 0 && power(i-1) != nil && *power(i - 1) < *p {
			t.Fatalf("row %d: %v MW after %v", i, *p, *power(i - 1))
		}
	}
	if !blank {
		t.Skip("no facility without MW to check")
	}
}

// The Companies tab tells the footprint a company reports from the regions
// the dataset lists: Alibaba Cloud reports 29, the Regions tab has one.
func TestCompanyRegionsTwoFigures(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Tab: "companies", Query: "alibaba"})
	resize(m, 120, 30)
	tb := m.browse.cur()
	var cells []string
	for _, idx := range tb.rows {
		if m.c.ds.Records()[idx].RecordID() == "alibaba-cloud" {
			cells = tb.cellsOf(idx)
		}
	}
	if cells == nil {
		t.Fatal("Alibaba Cloud not listed")
	}
	for i, col := range tb.cols {
		switch col.title {
		case "Reported":
			if cells[i] != "29 reg · 87 AZ" {
				t.Errorf("reported footprint %q, want 29 reg · 87 AZ", cells[i])
			}
		case "Regions":
			if cells[i] != "1" {
				t.Errorf("regions in the dataset %q, want 1", cells[i])
			}
		}
	}
	if !strings.Contains(tb.header, "Reported") || !strings.Contains(tb.header, "Regions") {
		t.Errorf("header %q", tb.header)
	}
}

// One order of dates everywhere: the Announcements tab's default order
// (newest first) and its sort by Date both follow model.CompareDates, so
// "~Q2 2025" sorts with April 2025 by its first day, coarser first.
func TestDateOrdersAgree(t *testing.T) {
	m := embeddedModel(t, Options{})
	resize(m, 160, 40)
	tb := m.browse.cur()
	recs := m.c.ds.Records()
	date := func(i int) model.Date { return recs[tb.rows[i]].(*model.Announcement).Date }
	for i := 1; i < len(tb.rows); i++ {
		if model.CompareDates(date(i-1), date(i)) < 0 {
			t.Fatalf("default order: %s before %s", date(i-1).Display(), date(i).Display())
		}
	}
	press(m, "s") // the Date column, ascending
	if tb.sortCol != 0 {
		t.Fatalf("s sorts by column %d", tb.sortCol)
	}
	for i := 1; i < len(tb.rows); i++ {
		if date(i).IsZero() {
			continue
		}
		if model.CompareDates(date(i-1), date(i)) > 0 {
			t.Fatalf("sort by Date: %s before %s", date(i-1).Display(), date(i).Display())
		}
	}
}

// Only the shown tab's columns are measured at start; another tab is
// measured when first shown, with the catalog's widths.
func TestTabsMeasuredWhenShown(t *testing.T) {
	m := embeddedModel(t, Options{})
	resize(m, 120, 30)
	for i, tb := range m.browse.tabs {
		if (tb.content != nil) != (i == 0) {
			t.Errorf("tab %d measured at start: %v", i, tb.content != nil)
		}
	}
	press(m, "4")
	tb := m.browse.cur()
	if !slices.Equal(tb.content, m.c.cat.contentWidths(tb.index, "")) {
		t.Errorf("facilities measured as %v, want the catalog's %v", tb.content, m.c.cat.contentWidths(tb.index, ""))
	}
	press(m, "$")
	if m.browse.tabs[0].content != nil || tb.content == nil {
		t.Error("a currency change re-measures the hidden tabs now, or not the shown one")
	}
}

package ui

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
	"github.com/muesli/termenv"
)

func TestTabSwitching(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	tests := []struct {
		keys []string
		want string
	}{
		{nil, "Announcements"},
		{[]string{"4"}, "Facilities"},
		{[]string{"tab"}, "Investments"},
		{[]string{"tab", "tab"}, "Announcements"}, // wraps after Sources
		{[]string{"shift+tab"}, "Sources"},
		{[]string{"3"}, "Regions & zones"},
		{[]string{"7"}, "Regions & zones"}, // not a tab: ignored
	}
	for _, tt := range tests {
		press(m, tt.keys...)
		if got := m.browse.cur().spec.name; got != tt.want {
			t.Fatalf("after %v: tab %q, want %q", tt.keys, got, tt.want)
		}
		if !strings.Contains(m.View(), "["+tt.want) {
			t.Fatalf("after %v: active tab %q not drawn as active:\n%s", tt.keys, tt.want, m.View())
		}
	}
	// A click on a tab's title selects it; the hit areas are where the
	// titles are drawn.
	bar := []rune(strings.Split(m.View(), "\n")[0])
	for _, hit := range m.browse.bar.hits {
		if got := strings.Trim(string(bar[hit[1]:hit[2]]), " []"); !strings.HasPrefix(got, m.browse.bar.label(hit[0])) {
			t.Fatalf("tab %d hit area %v covers %q", hit[0], hit, got)
		}
	}
	hit := m.browse.bar.hits[5]
	send(m, tea.MouseMsg{X: hit[1] + 1, Y: 0, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if got := m.browse.cur().spec.name; got != "Sources" {
		t.Fatalf("click on the sixth tab: %q", got)
	}
	// The regions tab lists zones under their region.
	press(m, "3")
	var codes []string
	for _, idx := range m.browse.cur().rows {
		codes = append(codes, m.c.ds.Records()[idx].RecordID())
	}
	want := "aws-ap-northeast-2,aws-ap-northeast-2/apne2-az1,aws-ap-northeast-2/apne2-az2,alibaba-cn-hangzhou"
	if got := strings.Join(codes, ","); got != want {
		t.Fatalf("regions tab rows %s, want %s", got, want)
	}
}

func TestFilterTransitions(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	b := m.browse

	press(m, "/")
	if !b.line.active {
		t.Fatal("/ did not open the search line")
	}
	typeText(m, "ulsan")
	if !b.filter.on || len(b.cur().rows) != 1 {
		t.Fatalf("typing ulsan: filter %v, %d rows, want 1", b.filter.on, len(b.cur().rows))
	}
	if got := b.tabCount(3); got != 1 {
		t.Fatalf("facilities tab count %d under the filter, want 1", got)
	}
	if !strings.Contains(m.View(), "Facilities 1") {
		t.Fatalf("tab title does not show its match count:\n%s", m.View())
	}
	// q is typed into the search line, not a quit.
	send(m, keyMsg("q"))
	if b.line.input.Value() != "ulsanq" {
		t.Fatalf("q while searching: value %q", b.line.input.Value())
	}
	press(m, "backspace", "enter")
	if b.line.active || !b.filter.on || b.filter.query.Raw != "ulsan" {
		t.Fatalf("enter: searching %v filter %v %q, want the filter kept", b.line.active, b.filter.on, b.filter.query.Raw)
	}

	// esc in the search line restores the filter that was on before.
	press(m, "/")
	typeText(m, " aws")
	if b.filter.query.Raw != "ulsan aws" {
		t.Fatalf("live query %q", b.filter.query.Raw)
	}
	press(m, "esc")
	if b.line.active || !b.filter.on || b.filter.query.Raw != "ulsan" || len(b.cur().rows) != 1 {
		t.Fatalf("esc in the search line: searching %v filter %v %q rows %d", b.line.active, b.filter.on, b.filter.query.Raw, len(b.cur().rows))
	}

	// An invalid filter says so and keeps the table as it was.
	press(m, "/")
	typeText(m, " mw>=abc")
	if !b.note.isError || !strings.Contains(m.View(), "invalid filter") {
		t.Fatalf("invalid filter not reported:\n%s", m.View())
	}
	if len(b.cur().rows) != 1 {
		t.Fatalf("invalid filter changed the rows: %d", len(b.cur().rows))
	}
	press(m, "esc")

	// An empty result says so and how to clear it.
	press(m, "/", "ctrl+u")
	typeText(m, "zzzz")
	press(m, "enter")
	v := m.View()
	if !strings.Contains(v, `No announcements match "zzzz"`) || !strings.Contains(v, "esc clears the filter") {
		t.Fatalf("empty result not explained:\n%s", v)
	}

	// esc in the filtered table clears the filter everywhere.
	press(m, "esc")
	if b.filter.on || len(b.cur().rows) != 3 || b.tabCount(3) != 2 {
		t.Fatalf("esc in the table: filter %v rows %d", b.filter.on, len(b.cur().rows))
	}
}

func TestStaleSearchResultDropped(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	b := m.browse
	press(m, "/")
	typeText(m, "alibaba")
	latest := b.seq
	// A result for an older query arrives late: it must not replace the
	// newer one.
	q, err := search.ParseQuery("ulsan")
	if err != nil {
		t.Fatal(err)
	}
	old := m.c.engine.NewSearcher().Search(latest-1, q)
	send(m, searchResultMsg{seq: latest - 1, res: old})
	if b.filter.query.Raw != "alibaba" {
		t.Fatalf("stale result applied: query now %q", b.filter.query.Raw)
	}
	if got := len(b.cur().rows); got != 2 {
		t.Fatalf("rows %d, want the 2 alibaba announcements", got)
	}
}

func TestBackStackKeepsPositions(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	press(m, "4", "j") // second facility: Alibaba Cloud Seoul DC 2
	press(m, "enter")
	d, ok := m.active().(*detail)
	if !ok || d.rec.RecordID() != "alibaba-seoul-2" {
		t.Fatalf("enter did not open the facility: %T", m.active())
	}
	// Walk to a related record: focus the list, move, open.
	press(m, "tab")
	if d.focus != focusRelated {
		t.Fatal("tab did not focus the related list")
	}
	var target string
	for i, rel := range d.related {
		if rel.Record.RecordID() == "alibaba-380bn" {
			for j := 0; j < i; j++ {
				press(m, "j")
			}
			target = rel.Record.RecordID()
		}
	}
	if target == "" {
		t.Fatalf("investment not among the related records: %v", d.related)
	}
	relCursor := d.relCursor
	press(m, "enter")
	d2, ok := m.active().(*detail)
	if !ok || d2.rec.RecordID() != target || len(m.stack) != 2 {
		t.Fatalf("related open: %T, stack %d", m.active(), len(m.stack))
	}
	press(m, "backspace")
	if m.active() != screen(d) || d.relCursor != relCursor || d.focus != focusRelated {
		t.Fatalf("back: not on the first detail with its cursor (%d, want %d)", d.relCursor, relCursor)
	}
	press(m, "esc")
	if m.active() != screen(m.browse) || m.browse.cur().cursor != 1 || m.browse.tab != 3 {
		t.Fatalf("back to browse: tab %d cursor %d", m.browse.tab, m.browse.cur().cursor)
	}
	// q quits from every view, as from the browser.
	press(m, "enter")
	_, cmd := m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q did not quit from the detail view")
	}
	if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Fatal("q did not quit from the detail view")
	}
	press(m, "esc")
	_, cmd = m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q did not quit from the browser")
	}
	if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Fatal("q did not quit from the browser")
	}
}

func TestMarksAndCompare(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	press(m, "4", " ") // mark the Ulsan facility; the cursor moves on
	if len(m.c.marks) != 1 || m.c.marks[0] != "skt-aws-ulsan" || m.browse.cur().cursor != 1 {
		t.Fatalf("marks %v cursor %d", m.c.marks, m.browse.cur().cursor)
	}
	press(m, "c")
	if m.active() != screen(m.browse) || !strings.Contains(m.View(), "mark 2 to 4 records") {
		t.Fatalf("c with one mark should explain, got:\n%s", m.View())
	}
	press(m, "5", " ")
	if !strings.Contains(m.View(), "2 marked") {
		t.Fatalf("status does not count marks:\n%s", m.View())
	}
	press(m, "c")
	cm, ok := m.active().(*compare)
	if !ok || len(cm.recs) != 2 {
		t.Fatalf("c with two marks: %T", m.active())
	}
	v := m.View()
	for _, want := range []string{"SK Telecom–AWS Ulsan AI data center", "Alibaba AI and cloud", "different kinds", "≠ Company"} {
		if !strings.Contains(v, want) {
			t.Fatalf("compare lacks %q:\n%s", want, v)
		}
	}
	// Different kinds: only shared attributes, so no MW row.
	if strings.Contains(v, "Power (MW)") {
		t.Fatalf("compare of different kinds shows an attribute they do not share:\n%s", v)
	}
	press(m, "esc")
	press(m, "k", "space") // unmark the investment
	if len(m.c.marks) != 1 {
		t.Fatalf("space on a marked row should unmark: %v", m.c.marks)
	}
	press(m, "x")
	if len(m.c.marks) != 0 || strings.Contains(m.View(), "marked") {
		t.Fatalf("x did not clear the marks: %v", m.c.marks)
	}

	// Same kind: every attribute, with bars and the largest marked.
	press(m, "4", "g", " ", " ", "c")
	v = m.View()
	if !strings.Contains(v, "Power (MW)") || !strings.Contains(v, "★") || !strings.Contains(v, "█") {
		t.Fatalf("compare of two facilities lacks MW bars and the max mark:\n%s", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "Power (MW)") && !strings.Contains(line, "103 ") {
			t.Fatalf("MW row: %q", line)
		}
		if strings.Contains(line, "Power (MW)") && strings.Index(line, "★") > strings.Index(line, "20 ") {
			t.Fatalf("the max mark is not on 103 MW: %q", line)
		}
	}
}

func TestSortCycle(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	press(m, "4")
	b := m.browse
	names := func() []string { return shownRows(m, model.Record.RecordTitle) }
	press(m, "s") // by name, ascending
	if got := names(); got[0] != "Alibaba Cloud Seoul DC 2" {
		t.Fatalf("sort by name: %v", got)
	}
	if !strings.Contains(m.View(), "Name ▲") {
		t.Fatalf("header does not show the sort column:\n%s", m.View())
	}
	press(m, "S")
	if got := names(); got[0] != "SK Telecom–AWS Ulsan AI data center" || !strings.Contains(m.View(), "Name ▼") {
		t.Fatalf("reverse: %v", got)
	}
	press(m, "s", "s", "s") // operator, country, MW
	if col := b.cur().spec.cols[b.cur().sortCol].title; col != "MW" {
		t.Fatalf("sort column %q, want MW", col)
	}
	if got := names(); got[0] != "SK Telecom–AWS Ulsan AI data center" {
		t.Fatalf("MW descending: %v", got)
	}
	press(m, "s", "s", "s") // GPUs, status, back to dataset order
	if b.cur().sortCol != -1 {
		t.Fatalf("sort did not cycle back to dataset order: %d", b.cur().sortCol)
	}
	// Sorting keeps the selected record selected.
	press(m, "S", "g")
	sel, _ := b.selected()
	press(m, "s")
	if now, _ := b.selected(); now != sel {
		t.Fatalf("sort moved the selection from %s to %s", sel.RecordID(), now.RecordID())
	}
}

func TestCurrencyCycle(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	press(m, "5")
	if !strings.Contains(m.View(), ">CNY 380 bn") {
		t.Fatalf("original currency not shown:\n%s", m.View())
	}
	press(m, "$")
	if m.c.currency != "USD" || !strings.Contains(m.View(), ">≈USD 52.9 bn") { // the hedge stays
		t.Fatalf("USD: %q\n%s", m.c.currency, m.View())
	}
	press(m, "$", "$")
	if m.c.currency != "CNY" || !strings.Contains(m.View(), "CNY 380 bn") {
		t.Fatalf("CNY: %q", m.c.currency)
	}
	for range len(m.c.cat.currencies) - 3 {
		press(m, "$")
	}
	if m.c.currency != "" {
		t.Fatalf("currency did not cycle back to original after %v: %q", m.c.cat.currencies, m.c.currency)
	}
	// The detail shows the original and the converted amount with the rate.
	press(m, "enter")
	v := m.View()
	for _, want := range []string{"more than CNY 380 bn", "≈ USD 52.9 bn", "1 USD = 7.183 CNY"} {
		if !strings.Contains(v, want) {
			t.Fatalf("detail lacks %q:\n%s", want, v)
		}
	}
}

// Every currency the dataset's rates reach is offered: the embedded dataset
// holds amounts in KRW, so $ reaches it and --currency KRW is accepted.
func TestCurrenciesFromDataset(t *testing.T) {
	m := embeddedModel(t, Options{})
	seen := map[string]bool{}
	for range 40 {
		press(m, "$")
		seen[m.c.currency] = true
	}
	for _, want := range []string{"", "USD", "EUR", "CNY", "KRW", "JPY"} {
		if !seen[want] {
			t.Errorf("$ never shows %q; saw %v", want, seen)
		}
	}
	m = embeddedModel(t, Options{Currency: "krw", Tab: "investments"})
	resize(m, 160, 30)
	if v := m.View(); !strings.Contains(v, "currency KRW") || !strings.Contains(v, "KRW ") {
		t.Errorf("--currency KRW not shown:\n%s", v)
	}
	ds, _ := data.Embedded()
	if _, err := New(NewCatalog(search.NewEngine(ds)), Options{Currency: "XYZ"}); err == nil || !strings.Contains(err.Error(), "KRW") {
		t.Errorf("an unknown currency: %v, want the list of those offered", err)
	}
}

func TestOptions(t *testing.T) {
	ds := smallDataset(t)
	cat := NewCatalog(search.NewEngine(ds))
	for _, opts := range []Options{{Tab: "nope"}, {Open: "no-such-id"}, {Currency: "GBP"}, {Query: "mw>=abc"}} {
		_, err := New(cat, opts)
		var oe *OptionError
		if !errors.As(err, &oe) {
			t.Fatalf("%+v: error %v, want *OptionError", opts, err)
		}
	}
	m := newTestModel(t, ds, Options{Tab: "facilities", Query: "ulsan", Currency: "eur"})
	if m.browse.cur().spec.name != "Facilities" || len(m.browse.cur().rows) != 1 || m.c.currency != "EUR" {
		t.Fatalf("options not applied: tab %s rows %d currency %s", m.browse.cur().spec.name, len(m.browse.cur().rows), m.c.currency)
	}
	m = newTestModel(t, ds, Options{Open: "alibaba-380bn"})
	if d, ok := m.active().(*detail); !ok || d.rec.RecordID() != "alibaba-380bn" {
		t.Fatalf("--open did not open the detail: %T", m.active())
	}
	press(m, "esc")
	if sel, _ := m.browse.selected(); sel == nil || sel.RecordID() != "alibaba-380bn" {
		t.Fatal("going back from --open does not land on the record")
	}
	for i, name := range TabNames() {
		if j, ok := findTab(tabSpecs(), name); !ok || j != i {
			t.Fatalf("TabNames()[%d] = %q is not accepted", i, name)
		}
	}
}

type fakeEnv map[string]string

func (e fakeEnv) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}
func (e fakeEnv) Getenv(k string) string { return e[k] }

// The renderer's profile decides colour: a session with NO_COLOR gets none.
func TestNoColor(t *testing.T) {
	ds := smallDataset(t)
	render := func(env fakeEnv) string {
		r := lipgloss.NewRenderer(os.Stdout, termenv.WithEnvironment(env), termenv.WithTTY(true), termenv.WithColorCache(true))
		m := newTestModel(t, ds, Options{Renderer: r, Query: "ulsan"})
		resize(m, 120, 30)
		press(m, "4", " ", "enter")
		return m.View()
	}
	colour := render(fakeEnv{"TERM": "xterm-256color", "COLORTERM": "truecolor"})
	if !strings.Contains(colour, "\x1b[38;2;") {
		t.Fatal("a truecolor terminal got no colour")
	}
	plain := render(fakeEnv{"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"})
	if strings.Contains(plain, "\x1b[") {
		t.Fatalf("NO_COLOR output has escape sequences: %q", plain[:min(len(plain), 400)])
	}
}

func TestMatchesHighlighted(t *testing.T) {
	r := lipgloss.NewRenderer(os.Stdout)
	r.SetColorProfile(termenv.TrueColor)
	m := newTestModel(t, smallDataset(t), Options{Renderer: r, Query: "ulsan", Tab: "facilities"})
	resize(m, 100, 30)
	hl := m.c.styles.pMatch
	row := m.browse.cur().renderRow(0, paint{})
	if !strings.Contains(row, hl.open+"Ulsan"+hl.close) {
		t.Fatalf("match not highlighted in %q", row)
	}
}

func TestTooSmall(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 39, 20)
	if v := checkFrame(t, m, 39, 20); !strings.Contains(v, "Terminal too small") {
		t.Fatalf("39x20:\n%s", v)
	}
	resize(m, 40, 10)
	if v := checkFrame(t, m, 40, 10); strings.Contains(v, "too small") {
		t.Fatalf("40x10 is enough:\n%s", v)
	}
	resize(m, 1, 1)
	checkFrame(t, m, 1, 1)
}

func TestDataIsSanitised(t *testing.T) {
	ds := smallDataset(t)
	ds.Facilities[0].Name = "Evil\x1b]0;pwned\x07 \x1b[31mred\nsite"
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, ds, Options{Tab: "facilities"})
	resize(m, 120, 30)
	for _, keys := range [][]string{nil, {"enter"}} {
		press(m, keys...)
		if v := m.View(); strings.ContainsAny(v, "\x1b\x07") {
			t.Fatalf("control characters from the data reached the screen: %q", v)
		}
	}
}

func TestMouse(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Tab: "regions"})
	resize(m, 100, 12) // room for 8 rows
	b := m.browse
	click := func(x, y int) {
		send(m, tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	}
	click(5, 4) // the third row (tab bar and header above)
	if b.cur().cursor != 2 {
		t.Fatalf("click on the third row: cursor %d", b.cur().cursor)
	}
	click(5, 11) // below the rows: nothing happens
	if b.cur().cursor != 2 {
		t.Fatalf("click below the rows moved the cursor to %d", b.cur().cursor)
	}
	// The wheel scrolls a long list and keeps the cursor on screen.
	ds := smallDataset(t)
	for i := 0; i < 40; i++ {
		ds.Sources = append(ds.Sources, model.Source{Base: model.Base{ID: "src-extra-" + fmtInt(i)}, Title: "Extra source " + fmtInt(i), Language: "en", Kind: model.SourceNewsArticle})
	}
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	m = newTestModel(t, ds, Options{Tab: "sources"})
	resize(m, 100, 12)
	b = m.browse
	for i := 0; i < 3; i++ {
		send(m, tea.MouseMsg{X: 5, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	}
	if t0 := b.cur(); t0.offset != 9 || t0.cursor != 9 {
		t.Fatalf("three wheel notches: offset %d cursor %d, want 9 and 9", t0.offset, t0.cursor)
	}
	send(m, tea.MouseMsg{X: 5, Y: 5, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if t0 := b.cur(); t0.offset != 6 || t0.cursor != 9 {
		t.Fatalf("wheel up: offset %d cursor %d, want 6 and 9", t0.offset, t0.cursor)
	}
	// In the detail, a click on a related record selects it.
	m = newTestModel(t, smallDataset(t), Options{Open: "skt-aws-ulsan"})
	resize(m, 100, 30)
	d := m.active().(*detail)
	// Line 2 of the list is under its title (y 1): a record or a kind's
	// heading, which selects nothing.
	for y := 2; y < 8; y++ {
		d.focus, d.relCursor = focusFields, 0
		send(m, tea.MouseMsg{X: d.docW + 5, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
		row := d.rows[d.relOffset+y-2]
		if row.pos < 0 {
			if d.focus != focusFields {
				t.Errorf("y %d: a click on a heading moved the focus", y)
			}
			continue
		}
		if d.relCursor != row.pos || d.focus != focusRelated {
			t.Errorf("y %d: click on related record %d: cursor %d focus %d", y, row.pos, d.relCursor, d.focus)
		}
	}
}

func TestPreviewOnWideTerminals(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Tab: "facilities"})
	resize(m, 130, 30)
	v := m.View()
	if !strings.Contains(v, "│ facility · skt-aws-ulsan") || !strings.Contains(v, "60,000") {
		t.Fatalf("no preview of the selected facility at 130 columns:\n%s", v)
	}
	press(m, "j")
	if v := m.View(); !strings.Contains(v, "│ facility · alibaba-seoul-2") {
		t.Fatalf("the preview does not follow the cursor:\n%s", v)
	}
	resize(m, 100, 30)
	if v := m.View(); strings.Contains(v, "│ facility ·") {
		t.Fatalf("preview shown at 100 columns:\n%s", v)
	}
}

// Wide characters take two cells: columns stay aligned when a name is in
// Korean.
func TestWideCharactersAlign(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Tab: "companies"})
	resize(m, 100, 12)
	col := -1
	found := false
	for _, line := range strings.Split(m.View(), "\n")[2:6] {
		if strings.Contains(line, "네이버") {
			found = true
		}
		if w := ansi.StringWidth(line); w != 100 {
			t.Fatalf("row is %d cells wide, want 100: %q", w, line)
		}
		for _, kind := range []string{"cloud-provider", "telecom"} {
			if i := strings.Index(line, kind); i >= 0 {
				c := ansi.StringWidth(line[:i])
				if col >= 0 && c != col {
					t.Fatalf("Kind column starts at cell %d, earlier rows at %d: %q", c, col, line)
				}
				col = c
			}
		}
	}
	if !found || col < 0 {
		t.Fatal("the Korean name or the Kind column is not on screen")
	}
}

// Keystrokes that arrive together (fast typing, SSH) are handled one by one:
// "/" opens the search line and the rest is typed into it.
func TestCoalescedKeys(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	b := m.browse
	send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/ulsan")})
	if !b.line.active || b.line.input.Value() != "ulsan" {
		t.Fatalf("coalesced /ulsan: searching %v, input %q", b.line.active, b.line.input.Value())
	}
	if !b.filter.on || len(b.cur().rows) != 1 {
		t.Fatalf("coalesced /ulsan: filter %v, %d rows, want 1", b.filter.on, len(b.cur().rows))
	}
	// A bracketed paste is text, not commands: it stays whole.
	press(m, "esc", "esc")
	send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q/"), Paste: true})
	if b.line.active {
		t.Fatal("a pasted / opened the search line")
	}
}

// TestIndexingNote opens the app on an engine not prepared yet (as dcx
// does): the first frame is quiet, the status line says search is being
// indexed once that has taken indexNoteDelay, the search line says so at
// once, a query typed meanwhile is answered once the engine is ready, and
// the note goes when Init's command reports readiness.
func TestIndexingNote(t *testing.T) {
	ds := synth.Generate(5_000, 3)
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	e := search.DeferEngine(ds) // prepared only when the search below waits
	mm, err := New(NewCatalog(e), Options{Renderer: asciiRenderer()})
	if err != nil {
		t.Fatal(err)
	}
	m := mm.(*Model)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30}) // its commands are not run
	if v := m.View(); strings.Contains(v, "indexing") {
		t.Fatalf("the first frame has the indexing note:\n%s", v)
	}
	send(m, indexSlowMsg{})
	if v := m.View(); !strings.Contains(v, "indexing for search") {
		t.Fatalf("status without the indexing note after indexNoteDelay:\n%s", v)
	}
	press(m, "/")
	if v := m.View(); !strings.Contains(v, "indexing 5,000 records") {
		t.Fatalf("search line without the indexing count:\n%s", v)
	}
	press(m, "esc")
	press(m, "/")
	typeText(m, "ulsan") // send runs the search command, which waits for the engine
	if v := m.View(); !strings.Contains(v, "here,") || strings.Contains(v, "indexing") {
		t.Fatalf("search line after the engine is ready:\n%s", v)
	}
	for _, msg := range runCmd(m.Init()) {
		send(m, msg)
	}
	press(m, "esc")
	if v := m.View(); strings.Contains(v, "indexing") {
		t.Fatalf("indexing note still shown once the engine is ready:\n%s", v)
	}
}

// TestIndexStartsAfterFirstFrame opens the app on a deferred engine, as dcx
// does: nothing prepares it before the first window size; the size's
// command starts it a frame later; Init's command, which only waits, then
// reports it ready, and the late note of a slow index never shows.
func TestIndexStartsAfterFirstFrame(t *testing.T) {
	t.Parallel()
	e := search.DeferEngine(smallDataset(t))
	mm, err := New(NewCatalog(e), Options{Renderer: asciiRenderer()})
	if err != nil {
		t.Fatal(err)
	}
	m := mm.(*Model)
	ready := make(chan []tea.Msg, 1)
	go func() { ready <- runCmd(m.Init()) }()
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if cmd == nil {
		t.Fatal("the first window size returned no command to start the index")
	}
	if v := m.View(); strings.Contains(v, "indexing") {
		t.Fatalf("the first frame has the indexing note, which waits for indexNoteDelay:\n%s", v)
	}
	select {
	case <-ready:
		t.Fatal("Init's command reported the index ready before anything started it")
	case <-time.After(50 * time.Millisecond):
	}
	if e.Ready() {
		t.Fatal("the engine was prepared before the first frame's command ran")
	}
	for _, msg := range runCmd(cmd) {
		send(m, msg)
	}
	var msgs []tea.Msg
	select {
	case msgs = <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("the index was not ready within 10 s of the first frame's command")
	}
	for _, msg := range msgs {
		send(m, msg)
	}
	if v := m.View(); strings.Contains(v, "indexing") {
		t.Fatalf("indexing note still shown once the engine is ready:\n%s", v)
	}
	if _, again := m.Update(tea.WindowSizeMsg{Width: 90, Height: 30}); again != nil {
		t.Error("a later window size returned a command; only the first starts the index")
	}
}

// TestSortInBackground sorts a tab large enough (the threshold lowered for
// the test) to be sorted in a command: until the result arrives the table
// keeps its order and the status says so; a second press moves on from the
// column being sorted; a result for a column no longer wanted is kept for
// later but not applied.
func TestSortInBackground(t *testing.T) {
	t.Parallel()
	m := newTestModelOn(t, withLimits(smallDataset(t), func(l *limits) { l.asyncSortMin = 1 }), Options{})
	resize(m, 100, 30)
	press(m, "4")
	b := m.browse
	tab := b.cur()
	before := slices.Clone(tab.rows)

	_, byName := m.Update(keyMsg("s"))
	if byName == nil || !tab.sorting || tab.sortCol != -1 || !slices.Equal(tab.rows, before) {
		t.Fatalf("first press: cmd %v, sorting %v, column %d; want a command and the order unchanged", byName != nil, tab.sorting, tab.sortCol)
	}
	if v := m.View(); !strings.Contains(v, "sorting by Name…") {
		t.Fatalf("status without the sorting note:\n%s", v)
	}
	_, byOperator := m.Update(keyMsg("s"))
	if byOperator == nil || tab.spec.cols[tab.pendingCol].title != "Operator" {
		t.Fatalf("second press while sorting: cmd %v, pending %q", byOperator != nil, tab.spec.cols[tab.pendingCol].title)
	}
	// The name order is computed while the app goes on (as in a program:
	// commands run on their own goroutines); -race checks they share
	// nothing mutable. It arrives late.
	done := make(chan []tea.Msg)
	go func() { done <- runCmd(byName) }()
	press(m, "j", "j", "$", "k")
	_ = m.View()
	for _, msg := range <-done {
		send(m, msg)
	}
	if _, cached := b.c.cat.order(tab.index, 0); !tab.sorting || tab.sortCol != -1 || !cached {
		t.Fatalf("a stale order was applied: sorting %v, column %d, cached %v", tab.sorting, tab.sortCol, cached)
	}
	for _, msg := range runCmd(byOperator) {
		send(m, msg)
	}
	if tab.sorting || tab.spec.cols[tab.sortCol].title != "Operator" || !strings.Contains(m.View(), "Operator ▲") {
		t.Fatalf("operator order not applied: sorting %v, column %d\n%s", tab.sorting, tab.sortCol, m.View())
	}
	if strings.Contains(m.View(), "sorting by") {
		t.Fatal("sorting note still shown")
	}
	want := sortOrder(m.c.namer, tab.spec.cols[tab.sortCol], m.c.cat.base(tab.index)).rows
	if !slices.Equal(tab.rows, want) {
		t.Fatalf("rows %v, want the operator order %v", tab.rows, want)
	}
}

// TestSessionsShareTables opens two sessions over one dataset, as SSH
// visitors do: they share the tabs' records, and an order one of them
// sorted is the other's at once, without a command.
func TestSessionsShareTables(t *testing.T) {
	t.Parallel()
	cat := withLimits(smallDataset(t), func(l *limits) { l.asyncSortMin = 1 })
	open := func() *Model {
		m, err := New(cat, Options{Renderer: asciiRenderer()})
		if err != nil {
			t.Fatal(err)
		}
		mm := m.(*Model)
		resize(mm, 100, 30)
		press(mm, "4")
		return mm
	}
	a, b := open(), open()
	if a.browse.c.cat != b.browse.c.cat || &a.browse.c.cat.base(a.browse.tab)[0] != &b.browse.c.cat.base(b.browse.tab)[0] {
		t.Fatal("two sessions over one dataset do not share their tables")
	}
	press(a, "s") // sorted in a command, which send runs
	if a.browse.cur().sortCol != 0 {
		t.Fatalf("session a: sort column %d, want 0", a.browse.cur().sortCol)
	}
	if _, cmd := b.Update(keyMsg("s")); cmd != nil || b.browse.cur().sortCol != 0 {
		t.Fatalf("session b: a command (%v) or column %d for an order session a made", cmd != nil, b.browse.cur().sortCol)
	}
	if !slices.Equal(a.browse.cur().rows, b.browse.cur().rows) {
		t.Fatal("the two sessions list different rows for the same sort")
	}
}

// TestSearchRanksBestFirst: a search with words lists the best rows first
// (a title holding the word, at a word's start, shorter titles first) in a
// tab shown in dataset order; a column sort, a reversed list or a query of
// filters alone keep their own order.
func TestSearchRanksBestFirst(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	resize(m, 100, 30)
	b := m.browse
	ids := func() []string { return shownRows(m, model.Record.RecordID) }
	press(m, "/")
	typeText(m, "alibaba")
	press(m, "enter")
	// Dataset order is ann-alibaba-kr then ann-alibaba-380; both headlines
	// start with the word, the shorter ranks first.
	if got := ids(); !slices.Equal(got, []string{"ann-alibaba-380", "ann-alibaba-kr"}) {
		t.Fatalf("ranked rows %v", got)
	}
	if !strings.Contains(m.View(), "best first") {
		t.Fatalf("status line does not say the rows are ranked:\n%s", m.View())
	}
	press(m, "S") // reversed dataset order
	if got := ids(); !slices.Equal(got, []string{"ann-alibaba-380", "ann-alibaba-kr"}) || strings.Contains(m.View(), "best first") {
		t.Fatalf("reversed: %v\n%s", got, m.View())
	}
	press(m, "S", "s", "S") // by date, newest first
	if got := ids(); !slices.Equal(got, []string{"ann-alibaba-kr", "ann-alibaba-380"}) || strings.Contains(m.View(), "best first") {
		t.Fatalf("by date, newest first: %v", got)
	}
	// A query of filters alone has nothing to rank by.
	press(m, "S")
	for range len(b.cur().spec.cols) {
		if b.cur().sortCol == -1 {
			break
		}
		press(m, "s")
	}
	if b.cur().sortCol != -1 {
		t.Fatalf("sort did not cycle back to dataset order: %d", b.cur().sortCol)
	}
	press(m, "/", "ctrl+u")
	typeText(m, "kind:announcement")
	press(m, "enter")
	// The tab's own order: newest first.
	if got := ids(); !slices.Equal(got, []string{"ann-alibaba-kr", "ann-ulsan", "ann-alibaba-380"}) || strings.Contains(m.View(), "best first") {
		t.Fatalf("filters alone: %v", got)
	}
	// Every match is listed once, ranked or not, across the tab's pages.
	press(m, "/", "ctrl+u")
	typeText(m, "a")
	press(m, "enter")
	if got := ids(); len(got) != b.tabCount(0) || len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
		t.Fatalf("%q: rows %v, tab count %d", "a", got, b.tabCount(0))
	}
}

// TestAppendBits checks the word-at-a-time listing of a tab's matches
// against a test of each record, over runs starting and ending anywhere
// around the 64-bit words.
func TestAppendBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	set := make([]uint64, 8)
	for range 2000 {
		for i := range set {
			set[i] = rng.Uint64() & rng.Uint64() // about a quarter set
			if rng.IntN(4) == 0 {
				set[i] = ^uint64(0)
			}
		}
		lo := int32(rng.IntN(len(set) * 64))
		hi := lo + 1 + int32(rng.IntN(len(set)*64-int(lo)))
		var want []int32
		for i := lo; i < hi; i++ {
			if set[i>>6]&(1<<(i&63)) != 0 {
				want = append(want, i)
			}
		}
		if got := appendBits(nil, set, lo, hi); !slices.Equal(got, want) {
			t.Fatalf("appendBits [%d, %d) = %v, want %v", lo, hi, got, want)
		}
	}
	if _, _, ok := span([]int32{3, 5, 4}); ok {
		t.Fatal("span took a permutation for a run")
	}
	if lo, hi, ok := span([]int32{3, 4, 5}); !ok || lo != 3 || hi != 6 {
		t.Fatalf("span of 3..5 = %d, %d, %v", lo, hi, ok)
	}
}

// TestRelatedInBackground: a record with many relations opens at once, its
// related list says it is being collected, and the collected relations
// land in that detail, even when another screen is on top by then.
func TestRelatedInBackground(t *testing.T) {
	t.Parallel()
	// Any record named by another is "large" here.
	m := newTestModelOn(t, withLimits(smallDataset(t), func(l *limits) { l.relatedSyncMax = 0 }), Options{})
	resize(m, 100, 30)
	want := m.c.ds.Related("kr")
	if len(want) == 0 {
		t.Fatal("the fixture's South Korea has no relations")
	}

	_, cmd := m.Update(openRecordMsg{id: "kr"})
	d, ok := m.active().(*detail)
	if !ok || cmd == nil || !d.loading {
		t.Fatalf("open: view %T, command %v, loading %v; want a detail collecting its relations", m.active(), cmd != nil, ok && d.loading)
	}
	if v := m.View(); !strings.Contains(v, "finding related records…") || !strings.Contains(v, "South Korea") {
		t.Fatalf("the detail does not show itself while collecting:\n%s", v)
	}
	// Another record opens on top before the relations arrive.
	msgs := runCmd(cmd)
	send(m, openRecordMsg{id: "cn"})
	for _, msg := range msgs {
		send(m, msg)
	}
	if d.loading || len(d.related) != len(want) {
		t.Fatalf("after the command: loading %v, %d relations, want %d", d.loading, len(d.related), len(want))
	}
	send(m, keyMsg("esc"))
	if m.active() != d || !strings.Contains(m.View(), fmt.Sprintf("Related (%d)", len(want))) {
		t.Fatalf("back on the first detail:\n%s", m.View())
	}
}

// synthSearched is the app at 100x30 on 4,000 generated records (hundreds
// of matches per tab) with query applied from the search line.
func synthSearched(t *testing.T, query string) *Model {
	t.Helper()
	ds := synth.Generate(4000, 3)
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, ds, Options{})
	resize(m, 100, 30)
	press(m, "/")
	typeText(m, query)
	press(m, "enter")
	return m
}

// TestRankingFollowsTheScroll: the best rows come first, and scrolling
// towards the end of them ranks twice as many, the rows already seen in
// their places, so a search stays best first as far as one reads.
func TestRankingFollowsTheScroll(t *testing.T) {
	m := synthSearched(t, "a")
	b := m.browse

	q, _ := search.ParseQuery("a")
	res := m.c.engine.NewSearcher().Search(1, q)
	want := res.TopOf(800, model.KindAnnouncement)
	if len(want) < 800 {
		t.Fatalf("only %d announcements match: the test needs more", len(want))
	}
	rows := b.cur().rows
	if !slices.Equal(rows[:rankedRows], want[:rankedRows]) {
		t.Fatalf("the first %d rows are not the best ones", rankedRows)
	}
	if slices.Equal(rows[rankedRows:2*rankedRows], want[rankedRows:2*rankedRows]) {
		t.Fatal("rows past the first screens are ranked already: the test proves nothing")
	}
	before := slices.Clone(rows[:rankedRows])
	for range 12 {
		press(m, "pgdown")
	}
	t0 := b.cur()
	if t0.offset < 2*rankedRows {
		t.Fatalf("twelve pages down: offset %d", t0.offset)
	}
	n := min(len(want), t0.offset+2*b.bodyH)
	if !slices.Equal(t0.rows[:n], want[:n]) {
		t.Fatalf("after scrolling to row %d, the first %d rows are not the best ones", t0.offset, n)
	}
	if !slices.Equal(t0.rows[:rankedRows], before) {
		t.Fatal("ranking further moved the rows already shown")
	}
	if len(t0.rows) != b.tabCount(0) {
		t.Fatalf("%d rows, the tab has %d matches", len(t0.rows), b.tabCount(0))
	}
}

// TestStaleRankingDropped: more rows ranked for a search that a newer one
// has replaced never land in the table.
func TestStaleRankingDropped(t *testing.T) {
	m := synthSearched(t, "a")
	b := m.browse
	// Page down without running the commands: the last one ranks more.
	var pending []tea.Msg
	for range 4 {
		_, cmd := m.Update(keyMsg("pgdown"))
		pending = append(pending, runCmd(cmd)...)
	}
	var stale []tea.Msg
	for _, msg := range pending {
		if r, ok := msg.(rankedMsg); ok {
			stale = append(stale, r)
		}
	}
	if len(stale) != 1 {
		t.Fatalf("%d ranking commands while paging, want one", len(stale))
	}
	press(m, "/", "ctrl+u")
	typeText(m, "e")
	press(m, "enter")
	rows := slices.Clone(b.cur().rows)
	for _, msg := range stale {
		send(m, msg)
	}
	if !slices.Equal(b.cur().rows, rows) {
		t.Fatal("a ranking of the previous search changed the rows")
	}
}

// Each tab with an order of its own opens in it: by its column, largest
// first where it says so, blanks last, ties in dataset order.
func TestTabsOpenInTheirOrder(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, ds, Options{})
	resize(m, 100, 30)
	b := m.browse
	recs := ds.Records()
	for i, tab := range b.tabs {
		// What the table shows once the tab is opened: its default
		// order is sorted then, the first time.
		press(m, strconv.Itoa(i+1))
		if b.cur() != tab || len(tab.rows) != b.c.cat.baseLen(i) {
			t.Fatalf("key %d: tab %q with %d rows, want %q with %d", i+1, b.cur().spec.name, len(tab.rows), tab.spec.name, b.c.cat.baseLen(i))
		}
		o := tab.spec.order
		if o == nil {
			continue
		}
		col := tab.spec.cols[o.col]
		rows := tab.rows
		for i := 1; i < len(rows); i++ {
			a, z := col.key(b.c.namer, recs[rows[i-1]]), col.key(b.c.namer, recs[rows[i]])
			switch {
			case blankKey(a) && !blankKey(z):
				t.Fatalf("%s: a blank %s before a value at row %d", tab.spec.name, col.title, i)
			case blankKey(a) || blankKey(z):
				continue
			}
			c := compareKeys(a, z)
			if o.desc {
				c = -c
			}
			if c > 0 || c == 0 && rows[i-1] > rows[i] {
				t.Fatalf("%s: rows %d and %d out of order by %s", tab.spec.name, i-1, i, col.title)
			}
		}
	}
}

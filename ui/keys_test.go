package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func quits(m *Model, k string) bool {
	_, cmd := m.Update(keyMsg(k))
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// q quits from every view and from the help; it is text in a text box.
func TestQuitEverywhere(t *testing.T) {
	ds := smallDataset(t)
	open := func() *Model {
		m := newTestModel(t, ds, Options{Open: "skt-aws-ulsan"})
		resize(m, 100, 30)
		return m
	}
	if m := open(); !quits(m, "q") {
		t.Error("q does not quit the detail")
	}
	m := open()
	press(m, "space", "esc", "j", "space", "c")
	if _, ok := m.active().(*compare); !ok {
		t.Fatalf("no comparison: %T", m.active())
	}
	if !quits(m, "q") {
		t.Error("q does not quit the comparison")
	}
	m = open()
	press(m, "?")
	if !quits(m, "q") {
		t.Error("q does not quit from the help")
	}
	m = open()
	press(m, "tab", "/")
	if !m.typing() || quits(m, "q") {
		t.Error("q in the related filter is not text")
	}
	m = open()
	press(m, "esc", "/")
	if quits(m, "q") || m.browse.line.value() != "q" {
		t.Errorf("q in the search line is not text: %q", m.browse.line.value())
	}
}

// / in the detail's fields goes back to the browser with the search line
// open; with the focus on the related list it filters the list.
func TestSlashInDetail(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Open: "skt-aws-ulsan"})
	resize(m, 100, 30)
	press(m, "/")
	if m.active() != screen(m.browse) || !m.browse.line.active {
		t.Fatalf("/ in the detail: %T, search line open %v", m.active(), m.browse.line.active)
	}
	m = newTestModel(t, smallDataset(t), Options{Open: "skt-aws-ulsan"})
	resize(m, 100, 30)
	d := m.active().(*detail)
	all := len(d.shown)
	press(m, "tab", "/")
	typeText(m, "alibaba")
	if len(d.shown) == 0 || len(d.shown) >= all {
		t.Fatalf("filter alibaba: %d of %d related shown", len(d.shown), all)
	}
	for _, i := range d.shown {
		r := d.related[i]
		if !strings.Contains(strings.ToLower(r.Role+r.Record.RecordTitle()+r.Record.RecordID()), "alibaba") {
			t.Errorf("%s shown for alibaba", r.Record.RecordID())
		}
	}
	if v := m.View(); !strings.Contains(v, "of "+fmtInt(all)+")") {
		t.Errorf("the title does not say how many are shown:\n%s", v)
	}
	press(m, "enter") // keeps the filter, leaves the box
	if m.typing() || len(d.shown) >= all {
		t.Fatal("enter did not keep the filter")
	}
	press(m, "esc") // clears it
	if len(d.shown) != all || m.active() != screen(d) {
		t.Fatalf("esc: %d of %d shown, on %T", len(d.shown), all, m.active())
	}
}

// The related list is grouped by kind under headings with counts.
func TestRelatedGrouped(t *testing.T) {
	m := embeddedModel(t, Options{Open: "kr"})
	resize(m, 120, 40)
	d := m.active().(*detail)
	if len(d.related) < 30 {
		t.Fatalf("South Korea has %d related records", len(d.related))
	}
	seen, total := map[string]bool{}, 0
	for _, row := range d.rows {
		if row.pos < 0 {
			if seen[string(row.kind)] {
				t.Errorf("two headings for %s", row.kind)
			}
			seen[string(row.kind)] = true
			total += row.count
			continue
		}
		if got := d.related[d.shown[row.pos]].Record.RecordKind(); got != row.kind {
			t.Errorf("a %s under the %s heading", got, row.kind)
		}
	}
	if total != len(d.related) {
		t.Errorf("headings count %d, %d related", total, len(d.related))
	}
	if !seen["facility"] {
		t.Error("no facilities heading")
	}
	if v := m.View(); !strings.Contains(v, "Announcements (") {
		t.Errorf("no heading on screen:\n%s", v)
	}
}

// With the related list focused, space marks the highlighted record, not
// the one the detail shows.
func TestSpaceMarksRelatedRow(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Open: "skt-aws-ulsan"})
	resize(m, 100, 30)
	d := m.active().(*detail)
	press(m, "tab")
	rel, _ := d.selectedRelated()
	press(m, "space")
	if !m.c.markSet[rel.Record.RecordID()] || m.c.markSet["skt-aws-ulsan"] {
		t.Fatalf("marks %v, want %s only", m.c.marks, rel.Record.RecordID())
	}
	press(m, "tab", "space")
	if !m.c.markSet["skt-aws-ulsan"] {
		t.Fatal("space on the fields does not mark the open record")
	}
}

// In the comparison, h/l and tab move a cursor over the records, enter
// opens the one under it, space removes it.
func TestCompareCursor(t *testing.T) {
	ds := smallDataset(t)
	m := newTestModel(t, ds, Options{Tab: "facilities"})
	resize(m, 120, 30)
	press(m, "space", "space", "5", "space", "c")
	cm, ok := m.active().(*compare)
	if !ok || len(cm.recs) != 3 {
		t.Fatalf("compare: %T", m.active())
	}
	press(m, "l", "tab")
	if cm.cursor != 2 {
		t.Fatalf("l, tab: cursor %d, want 2", cm.cursor)
	}
	press(m, "h")
	if cm.cursor != 1 {
		t.Fatalf("h: cursor %d, want 1", cm.cursor)
	}
	want := cm.recs[1].RecordID()
	if !strings.Contains(ansi.Strip(m.View()), "› ") {
		t.Errorf("no cursor on a column:\n%s", m.View())
	}
	press(m, "enter")
	if d, ok := m.active().(*detail); !ok || d.rec.RecordID() != want {
		t.Fatalf("enter: %T, want the detail of %s", m.active(), want)
	}
	press(m, "esc", "space")
	if len(cm.recs) != 2 || m.c.markSet[want] {
		t.Fatalf("space: %d compared, %s still marked", len(cm.recs), want)
	}
	press(m, "space")
	if m.active() != screen(m.browse) {
		t.Fatalf("one record left: still on %T", m.active())
	}
}

// Five marks: the comparison names the one it leaves out.
func TestCompareSaysWhatIsLeftOut(t *testing.T) {
	m := embeddedModel(t, Options{Tab: "facilities"})
	resize(m, 160, 30)
	press(m, "space", "space", "space", "space", "space")
	fifth := m.c.marks[4]
	r, _ := m.c.ds.Get(fifth)
	press(m, "c")
	v := m.View()
	status := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "left out") {
			status = l
		}
	}
	if start := string([]rune(clean(r.RecordTitle()))[:12]); !strings.Contains(status, "left out (4 shown at most): "+start) {
		t.Errorf("the comparison does not name %q as left out:\n%s", r.RecordTitle(), v)
	}
}

// p hides and shows the preview for the session; the table takes the room.
func TestPreviewToggle(t *testing.T) {
	m := embeddedModel(t, Options{})
	resize(m, 160, 40)
	b := m.browse
	if b.tableW == 160 {
		t.Fatal("no preview at 160 columns")
	}
	press(m, "p")
	if b.tableW != 160 || strings.Contains(m.View(), "│ ") {
		t.Fatalf("p: table %d wide", b.tableW)
	}
	press(m, "enter", "esc") // a round trip keeps the choice
	resize(m, 200, 50)
	if b.tableW != 200 {
		t.Fatalf("the preview came back: table %d of 200", b.tableW)
	}
	press(m, "p")
	if b.tableW == 200 {
		t.Fatal("p did not bring the preview back")
	}
	resize(m, 100, 30)
	press(m, "p")
	if !strings.Contains(m.View(), "preview needs") {
		t.Errorf("p at 100 columns says nothing:\n%s", m.View())
	}
}

// The help reflows into the columns that fit, keeps its border at the
// smallest size, and scrolls when it is taller than the screen.
func TestHelpReflowsAndScrolls(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {80, 24}, {100, 30}, {160, 45}} {
		m := embeddedModel(t, Options{})
		resize(m, size[0], size[1])
		press(m, "?")
		box := strings.Split(m.helpBox, "\n")
		if len(box) > size[1]-1 {
			t.Errorf("%v: box %d lines tall", size, len(box))
		}
		if !strings.HasPrefix(box[0], "╭") || !strings.HasSuffix(box[0], "╮") || !strings.HasPrefix(box[len(box)-1], "╰") {
			t.Errorf("%v: border lost:\n%s", size, m.helpBox)
		}
		for _, l := range box {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%v: line %d wide", size, w)
			}
			if strings.Contains(l, "…") {
				t.Errorf("%v: cut line %q", size, l)
			}
		}
		all := strings.Join(box, "\n")
		if size[1] >= 45 && (!strings.Contains(all, "quit") || !strings.Contains(all, "Search")) {
			t.Errorf("%v: help lacks keys or the search section:\n%s", size, all)
		}
		if size[1] < 30 {
			before := m.helpBox
			press(m, "j", "j")
			if m.helpBox == before {
				t.Errorf("%v: j does not scroll the help", size)
			}
			press(m, "G")
			if !strings.Contains(m.helpBox, "quits.") {
				t.Errorf("%v: the end of the help is not reachable:\n%s", size, m.helpBox)
			}
		}
	}
}

// No frame before the terminal's size is known: one laid out for a guess
// would flash at the wrong width.
func TestNoFrameBeforeSize(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{})
	if v := m.View(); v != "" {
		t.Fatalf("a frame before the window size:\n%s", v)
	}
	press(m, "j", "?", "esc")
	if v := m.View(); v != "" {
		t.Fatalf("a frame after keys, before the window size:\n%s", v)
	}
	resize(m, 160, 40)
	if lines := strings.Split(m.View(), "\n"); len(lines) != 40 || ansi.StringWidth(lines[0]) > 160 {
		t.Fatalf("first frame: %d lines", len(lines))
	}
}

// A key that means something in another view says where; one that means
// nothing anywhere shows nothing.
func TestKeysElsewhere(t *testing.T) {
	m := newTestModel(t, smallDataset(t), Options{Open: "skt-aws-ulsan"})
	resize(m, 120, 30)
	press(m, "s")
	if v := m.View(); !strings.Contains(v, "s sorts: in the browse view") {
		t.Errorf("s in the detail says nothing:\n%s", v)
	}
	before := m.View()
	press(m, "z")
	if strings.Contains(m.View(), "browse view") || len(m.View()) > len(before) {
		t.Errorf("z shows something:\n%s", m.View())
	}
	press(m, "space", "esc", "j", "space", "c", "3")
	if v := m.View(); !strings.Contains(v, "3 picks a tab") {
		t.Errorf("3 in the comparison says nothing:\n%s", v)
	}
}

// Typing in the related filter re-lays the panes out, not the document:
// its width does not change.
func TestRelatedFilterKeepsDocument(t *testing.T) {
	m := embeddedModel(t, Options{Open: "kr"})
	resize(m, 80, 24)
	d := m.active().(*detail)
	doc := &d.docLines[0]
	press(m, "tab", "/")
	typeText(m, "naver")
	if &d.docLines[0] != doc {
		t.Error("the document was rendered again for a keystroke in the related filter")
	}
	if len(d.shown) == 0 || len(d.shown) == len(d.related) {
		t.Fatalf("filter naver: %d of %d", len(d.shown), len(d.related))
	}
	resize(m, 100, 30)
	if &d.docLines[0] == doc {
		t.Error("a new width did not render the document again")
	}
}

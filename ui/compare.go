package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
)

// maxCompared is how many marked records the comparison shows side by side.
const maxCompared = 4

// attr is one attribute of a record as the comparison sees it. Records of
// different kinds meet on attributes with the same name (an investment's
// investor and a facility's operator are both its Company).
type attr struct {
	name string
	text string
	// num is the value numeric rows compare and draw bars for; NaN when the
	// attribute is not numeric or the value is unknown.
	num float64
}

// compareOrder is the order attributes are shown in.
func compareOrder() []string {
	return []string{"Kind", "Company", "Country", "City", "Status", "Amount", "Power (MW)", "GPUs",
		"Reported regions", "Reported zones", "Regions in data", "Zones", "Facilities", "Announced", "Period", "Sources", "Related"}
}

func recordAttrs(c *common, r model.Record) map[string]attr {
	a := map[string]attr{}
	set := func(name, text string) {
		if text != "" {
			a[name] = attr{name: name, text: text, num: math.NaN()}
		}
	}
	setNum := func(name string, v float64, text string) {
		if !math.IsNaN(v) {
			a[name] = attr{name: name, text: text, num: v}
		}
	}
	money := func(m model.Money, at model.Date) {
		v, _ := c.displayValue(m, at)
		setNum("Amount", v, c.moneyCell(m, at))
		if math.IsNaN(v) {
			set("Amount", c.moneyCell(m, at))
		}
	}
	count := func(name string, n int) {
		if n > 0 {
			setNum(name, float64(n), fmtInt(n))
		}
	}
	set("Kind", string(r.RecordKind()))
	switch r := r.(type) {
	case *model.Facility:
		set("Company", c.operator(r))
		set("Country", c.placeName(r.Country))
		set("City", c.placeName(r.City))
		set("Status", string(r.Status))

		if r.PowerMW != nil {
			setNum("Power (MW)", *r.PowerMW, fmtFloat(*r.PowerMW))
		}
		if r.GPUs != nil {
			setNum("GPUs", float64(*r.GPUs), fmtInt(*r.GPUs))
		}
		set("Announced", r.AnnouncedDate().Display())
	case *model.Investment:
		set("Company", c.name(r.Investor))
		set("Country", c.placeNames(r.Places))
		set("Announced", r.Announced.Display())
		set("Period", periodText(r))
	case *model.Announcement:
		set("Company", c.names(r.Companies))
		set("Country", c.placeNames(r.Places))
		set("Announced", r.Date.Display())
	case *model.Company:
		set("Country", c.placeName(r.Country))
		fp := c.companyFootprint(r)
		count("Reported regions", fp.Regions)
		count("Reported zones", fp.Zones)
		count("Regions in data", c.provided[r.ID])
		count("Facilities", c.countRelated(r, model.KindFacility))
	case *model.Region:
		set("Company", c.name(r.Provider))
		set("Country", c.placeName(r.Country))
		set("City", c.placeName(r.City))
		set("Status", string(r.Status))
		if r.Zones != nil {
			setNum("Zones", float64(*r.Zones), fmtInt(*r.Zones))
		}
	case *model.Zone:
		reg := c.regionOf(r)
		set("Company", c.nameOrEmpty(reg.Provider))
		set("Country", c.placeName(reg.Country))
		set("City", c.placeName(reg.City))
	case *model.Source:
		set("Company", clean(r.Publisher))
		if r.Published != nil {
			set("Announced", r.Published.Display())
		}
	case *model.Place:
		set("Country", c.placeName(r.Country))
	}
	// One definition of a record's amount (model.Dataset.AmountOf), the
	// one the tables, filters and exports use.
	if am, ok := c.ds.AmountOf(r); ok {
		money(am.Money, am.At)
	}
	count("Sources", len(model.EvidenceSources(r)))
	count("Related", c.count(r.RecordID(), ""))
	return a
}

// compare shows 2 to 4 marked records side by side.
type compare struct {
	c    *common
	recs []model.Record
	// left are the marked records past maxCompared, named in the status.
	left []model.Record
	// cursor is the column enter opens and space removes.
	cursor int
	hint   string // what the last key means elsewhere (KeyMap.elsewhere)
	vp     viewport.Model

	width, height int
	header        []string
	status        string
	rows          int
	shared        bool
	lines         []string
}

func newCompare(c *common) *compare {
	cm := &compare{c: c, vp: viewport.New(0, 0)}
	cm.load()
	return cm
}

// load takes the records to compare from the marks, in marking order.
func (cm *compare) load() {
	cm.recs, cm.left = cm.recs[:0], nil
	for _, id := range cm.c.marks {
		if r, ok := cm.c.ds.Get(id); ok {
			if len(cm.recs) < maxCompared {
				cm.recs = append(cm.recs, r)
			} else {
				cm.left = append(cm.left, r)
			}
		}
	}
	cm.cursor = clampInt(cm.cursor, 0, len(cm.recs)-1)
}

func (cm *compare) kind() viewKind { return viewCompare }
func (cm *compare) editing() bool  { return false }
func (cm *compare) help() keyHelp  { return cm.c.keys.compareHelp() }

func (cm *compare) setSize(w, h int) {
	cm.width, cm.height = w, h
	cm.refresh()
}

const compareLabelW = 18

func (cm *compare) colWidth() int {
	n := max(len(cm.recs), 1)
	return max((cm.width-compareLabelW-2*n)/n, 4)
}

func (cm *compare) refresh() {
	if cm.width == 0 {
		return
	}
	colW := cm.colWidth()
	attrs := make([]map[string]attr, len(cm.recs))
	kinds := map[model.Kind]bool{}
	for i, r := range cm.recs {
		attrs[i] = recordAttrs(cm.c, r)
		kinds[r.RecordKind()] = true
	}
	// Records of one kind show every attribute any of them has; records of
	// different kinds only what they all have.
	cm.shared = len(kinds) > 1
	var names []string
	for _, name := range compareOrder() {
		n := 0
		for _, a := range attrs {
			if _, ok := a[name]; ok {
				n++
			}
		}
		if n == 0 || (cm.shared && n < len(attrs) && name != "Kind") {
			continue
		}
		names = append(names, name)
	}

	cm.renderHeader()

	var lines []string
	for _, name := range names {
		lines = append(lines, cm.row(name, attrs, colW))
	}
	cm.rows = len(names)
	y := cm.vp.YOffset
	cm.vp.Width, cm.vp.Height = cm.width, max(cm.height-len(cm.header)-1, 1)
	cm.vp.SetContent(strings.Join(lines, "\n"))
	cm.lines = lines
	cm.vp.SetYOffset(y)
	cm.renderStatus()
}

// renderHeader draws the column headings, the cursor's marked: moving the
// cursor redraws only them.
func (cm *compare) renderHeader() {
	s := cm.c.styles
	colW := cm.colWidth()
	// Column headings: titles on two lines, then kind and id.
	head := [3]strings.Builder{}
	for i := range head {
		head[i].WriteString(strings.Repeat(" ", compareLabelW))
	}
	for i, r := range cm.recs {
		title := strings.Split(ansi.Wrap(clean(r.RecordTitle()), colW-2, ""), "\n")
		for len(title) < 2 {
			title = append(title, "")
		}
		// The cursor's column: a pointer and the cursor's colours on its
		// title, as the table's selected row.
		lead, st := "  ", s.Bold
		if i == cm.cursor {
			lead, st = "› ", s.Cursor
		}
		head[0].WriteString("  " + st.Render(fit(lead+title[0], colW)))
		head[1].WriteString("  " + s.Bold.Render(fit("  "+title[1], colW)))
		head[2].WriteString("  " + s.Dim.Render(fit("  "+clean(r.RecordID()), colW)))
	}
	cm.header = []string{
		s.Title.Render(fmt.Sprintf("Compare %d records", len(cm.recs))) +
			s.Dim.Render(cm.scopeNote()),
		head[0].String(), head[1].String(), head[2].String(),
		s.Dim.Render(strings.Repeat("─", cm.width)),
	}
}

func (cm *compare) scopeNote() string {
	if cm.shared {
		return "  · different kinds: only what they share"
	}
	return ""
}

// row renders one attribute across the records: differences are marked ≠,
// numeric rows get bars scaled to the largest value, which is marked ★.
func (cm *compare) row(name string, attrs []map[string]attr, colW int) string {
	s := cm.c.styles
	maxV := math.Inf(-1)
	nums, differ := 0, false
	first, seen := "", false
	for _, a := range attrs {
		v, ok := a[name]
		t := ""
		if ok {
			t = v.text
			if !math.IsNaN(v.num) {
				nums++
				maxV = math.Max(maxV, v.num)
			}
		}
		if !seen {
			first, seen = t, true
		} else if t != first {
			differ = true
		}
	}
	label := name
	if name == "Amount" {
		label = "Amount"
		if cm.c.currency == "" {
			label += " (≈USD)"
		} else {
			label += " (" + cm.c.currency + ")"
		}
	}
	var sb strings.Builder
	if differ {
		sb.WriteString(s.Diff.Render(fit("≠ "+label, compareLabelW)))
	} else {
		sb.WriteString(s.Label.Render(fit("  "+label, compareLabelW)))
	}
	for _, a := range attrs {
		sb.WriteString("  ")
		v, ok := a[name]
		if !ok {
			sb.WriteString(s.Dim.Render(fit("—", colW)))
			continue
		}
		if math.IsNaN(v.num) || nums == 0 {
			sb.WriteString(fit(v.text, colW))
			continue
		}
		isMax := nums > 1 && v.num == maxV && differ
		star := "  "
		if isMax {
			star = " " + s.Max.Render("★")
		}
		textW := min(ansi.StringWidth(v.text), colW)
		barW := min(colW-textW-3, 12)
		cell := v.text
		if barW >= 2 && maxV > 0 {
			cell = fit(v.text, textW) + " " + s.Bar.Render(bar(v.num/maxV, barW))
		}
		sb.WriteString(fit(cell+star, colW))
	}
	return sb.String()
}

// bar draws frac (0..1) of width cells with eighth-block precision.
func bar(frac float64, width int) string {
	if math.IsNaN(frac) || frac < 0 {
		frac = 0
	}
	frac = math.Min(frac, 1)
	eighths := int(math.Round(frac * float64(width*8)))
	if frac > 0 && eighths == 0 {
		eighths = 1 // a non-zero value stays visible
	}
	full, part := eighths/8, eighths%8
	out := strings.Repeat("█", full)
	if part > 0 {
		out += string([]rune("▏▎▍▌▋▊▉")[part-1])
	}
	return fit(out, width)
}

func (cm *compare) renderStatus() {
	s := cm.c.styles
	parts := []string{
		s.StatusKey.Render("Compare"),
		model.Plural(len(cm.recs), "record") + ", " + model.Plural(cm.rows, "attribute"),
		"≠ differs · ★ largest",
	}
	if len(cm.left) > 0 {
		names := make([]string, len(cm.left))
		for i, r := range cm.left {
			names[i] = clean(r.RecordTitle())
		}
		parts = append(parts, s.Error.Render(fmt.Sprintf("left out (%d shown at most): %s", maxCompared, strings.Join(names, ", "))))
	}
	parts = append(parts, "currency "+cm.c.currencyLabel())
	if cm.hint != "" {
		parts = append([]string{s.Dim.Render(cm.hint)}, parts...)
	}
	cm.status = clip(strings.Join(parts, s.Dim.Render(" · ")), cm.width)
}

func (cm *compare) update(msg tea.Msg) tea.Cmd {
	k := &cm.c.keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cm.hint = k.elsewhere(msg, viewCompare)
		defer cm.renderStatus()
		switch {
		case key.Matches(msg, k.Back):
			return func() tea.Msg { return backMsg{} }
		case key.Matches(msg, k.ClearMarks):
			cm.c.clearMarks()
			return func() tea.Msg { return backMsg{} }
		case key.Matches(msg, k.Left):
			cm.move(-1)
		case key.Matches(msg, k.Right):
			cm.move(1)
		case key.Matches(msg, k.NextColumn):
			if msg.Type == tea.KeyShiftTab {
				cm.move(-1)
			} else {
				cm.move(1)
			}
		case key.Matches(msg, k.Open):
			if len(cm.recs) > 0 {
				id := cm.recs[cm.cursor].RecordID()
				return func() tea.Msg { return openRecordMsg{id: id} }
			}
		case key.Matches(msg, k.Remove):
			if len(cm.recs) == 0 {
				return nil
			}
			cm.c.toggleMark(cm.recs[cm.cursor].RecordID())
			cm.load()
			if len(cm.recs) < 2 {
				// Nothing left to compare with.
				return func() tea.Msg { return backMsg{} }
			}
			cm.refresh()
		case key.Matches(msg, k.Search):
			return func() tea.Msg { return openSearchMsg{} }
		default:
			k.scroll(&cm.vp, msg)
		}
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			cm.vp.LineUp(3)
		case tea.MouseButtonWheelDown:
			cm.vp.LineDown(3)
		}
	}
	return nil
}

// move puts the cursor on the next or previous record, round the ends.
func (cm *compare) move(d int) {
	if n := len(cm.recs); n > 0 {
		cm.cursor = ((cm.cursor+d)%n + n) % n
		cm.renderHeader()
	}
}

func (cm *compare) view() string {
	out := make([]string, 0, cm.height)
	for _, h := range cm.header {
		out = append(out, clip(h, cm.width))
	}
	out = append(out, visibleLines(cm.lines, cm.vp.YOffset, cm.vp.Height)...)
	out = append(out, cm.status)
	return strings.Join(out, "\n")
}

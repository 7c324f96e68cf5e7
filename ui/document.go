package ui

// The document renderer: a record's fields, disagreements and evidence as
// lines at a width. The detail shows it whole (renderDoc), the browser's
// preview its fields (renderFields).

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
)

// field is one labelled value; the value may span lines.
type field struct {
	label, value string
}

// docWriter lays out labelled fields and sections at a width.
type docWriter struct {
	c      *common
	w      int
	labelW int
	lines  []string
}

func (dw *docWriter) line(s string) { dw.lines = append(dw.lines, clip(s, dw.w)) }

func (dw *docWriter) wrapped(s string, indent int) {
	for _, l := range strings.Split(ansi.Wrap(s, max(dw.w-indent, 8), ""), "\n") {
		dw.line(strings.Repeat(" ", indent) + l)
	}
}

// hanging writes s wrapped with its continuation lines indented.
func (dw *docWriter) hanging(s string, indent int) {
	for i, l := range strings.Split(ansi.Wrap(s, max(dw.w-indent, 8), ""), "\n") {
		if i > 0 {
			l = strings.Repeat(" ", indent) + l
		}
		dw.line(l)
	}
}

func (dw *docWriter) field(f field) {
	if f.value == "" {
		return
	}
	s := dw.c.styles
	vw := max(dw.w-dw.labelW-1, 8)
	first := true
	for _, para := range strings.Split(f.value, "\n") {
		for _, l := range strings.Split(ansi.Wrap(para, vw, ""), "\n") {
			label := strings.Repeat(" ", dw.labelW)
			if first {
				label = s.Label.Render(fit(f.label, dw.labelW))
				first = false
			}
			dw.line(label + " " + l)
		}
	}
}

func (dw *docWriter) section(title string) {
	s := dw.c.styles
	dw.line("")
	rule := max(dw.w-ansi.StringWidth(title)-4, 0)
	dw.line(s.Section.Render("── "+title+" ") + s.Dim.Render(strings.Repeat("─", rule)))
}

// renderFields renders a record's fields; compact (the preview) adds the
// title and a count of relations and sources instead of the full sections.
func renderFields(c *common, r model.Record, w int, compact bool) string {
	dw := &docWriter{c: c, w: max(w, 10), labelW: 12}
	if w < 40 {
		dw.labelW = 9
	}
	if compact {
		dw.wrapped(c.styles.Bold.Render(clean(r.RecordTitle())), 0)
		dw.line(c.styles.Dim.Render(string(r.RecordKind()) + " · " + clean(r.RecordID())))
		dw.line("")
	}
	for _, f := range recordFields(c, r) {
		dw.field(f)
	}
	if compact {
		dw.line("")
		dw.line(c.styles.Dim.Render(fmtInt(c.count(r.RecordID(), "")) + " related · " +
			model.Plural(len(model.EvidenceSources(r)), "source") + " · enter for all"))
	}
	return strings.Join(dw.lines, "\n")
}

// renderDoc renders the full detail document of a record.
func renderDoc(c *common, r model.Record, w int) string {
	dw := &docWriter{c: c, w: max(w, 10), labelW: 12}
	if w < 50 {
		dw.labelW = 9
	}
	s := c.styles
	for _, f := range recordFields(c, r) {
		dw.field(f)
	}
	b := r.RecordBase()
	dw.field(field{"Not found", fieldList(b.NotFound)})
	dw.field(field{"Tracker only", fieldList(b.ThirdParty)})
	if len(b.Conflicts) > 0 {
		dw.section("Sources disagree")
		for _, cf := range b.Conflicts {
			dw.hanging(s.Diff.Render("≠ "+clean(cf.Field))+" "+clean(cf.Summary), 2)
			for _, v := range cf.Values {
				dw.wrapped("• "+s.Bold.Render(clean(v.Value))+s.Dim.Render(" — "+c.sourceList(v.Evidence)), 2)
			}
		}
	}
	if b.Notes != "" {
		dw.section("Notes")
		for _, p := range strings.Split(cleanText(b.Notes), "\n") {
			dw.wrapped(p, 0)
		}
	}
	evs := dedupEvidence(model.AllEvidence(r))
	if len(evs) > 0 {
		dw.section(fmt.Sprintf("Evidence (%d)", len(evs)))
		for i, ev := range evs {
			if i > 0 {
				dw.line("")
			}
			dw.hanging(s.Bold.Render(fmt.Sprintf("[%d] ", i+1))+c.sourceLabel(ev.Source), 4)
			if ev.Quote != "" {
				dw.wrapped(s.Quote.Render("“"+quoteText(ev.Quote)+"”"), 4)
			}
			if ev.Translation != "" && ev.Translation != ev.Quote {
				dw.wrapped(s.Dim.Render("EN ")+"“"+quoteText(ev.Translation)+"”", 4)
			}
			var extra []string
			if len(ev.Supports) > 0 {
				extra = append(extra, "supports "+clean(strings.Join(ev.Supports, ", ")))
			}
			if len(ev.Cites) > 0 {
				extra = append(extra, "cites "+c.citedSources(ev.Cites))
			}
			if ev.Note != "" {
				extra = append(extra, "note: "+clean(ev.Note))
			}
			if len(extra) > 0 {
				dw.wrapped(s.Dim.Render(strings.Join(extra, " · ")), 4)
			}
		}
	}
	return strings.Join(dw.lines, "\n")
}

func dedupEvidence(evs []model.Evidence) []model.Evidence {
	seen := map[string]bool{}
	out := evs[:0:0]
	for _, ev := range evs {
		k := ev.Source + "\x00" + ev.Quote
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, ev)
	}
	return out
}

func (c *common) sourceLabel(id string) string {
	r, ok := c.ds.Get(id)
	if !ok {
		return clean(id)
	}
	src, ok := r.(*model.Source)
	if !ok {
		return clean(r.RecordTitle())
	}
	var meta []string
	if src.Publisher != "" {
		meta = append(meta, clean(src.Publisher))
	}
	if src.Published != nil {
		meta = append(meta, src.Published.Display())
	}
	if src.Language != "" {
		meta = append(meta, clean(src.Language))
	}
	if src.Quality != "" && src.Quality != model.QualityPrimary {
		meta = append(meta, string(src.Quality))
	}
	s := clean(src.Title)
	if len(meta) > 0 {
		s += c.styles.Dim.Render(" (" + strings.Join(meta, ", ") + ")")
	}
	return s
}

// sourceList names the documents behind some evidence, briefly (publisher
// and date). Evidence quoting a compilation (the research notes) names the
// originals it cites, so a disagreement reads "The Korea Herald vs UPI", not
// the notes twice; the evidence section below shows the quotes in full.
func (c *common) sourceList(evs []model.Evidence) string {
	var names []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			names = append(names, c.sourceShort(id))
		}
	}
	for _, ev := range evs {
		if len(ev.Cites) == 0 {
			add(ev.Source)
		}
		for _, id := range ev.Cites {
			add(id)
		}
	}
	return strings.Join(names, "; ")
}

// sourceShort is a source's publisher and date, or its title when it has no
// publisher.
func (c *common) sourceShort(id string) string {
	r, ok := c.ds.Get(id)
	src, isSrc := r.(*model.Source)
	if !ok || !isSrc {
		return c.name(id)
	}
	s := clean(src.Publisher)
	if s == "" {
		s = clean(src.Title)
	}
	if src.Published != nil {
		s += ", " + src.Published.Display()
	}
	return s
}

// quoteText is a quote as the detail shows it: the research notes mark
// emphasis with Markdown's ** ("**21 Nov 2016**"), which on a terminal is
// only noise. The stored quote keeps them: dcx validate matches it against
// the document verbatim.
func quoteText(q string) string { return clean(strings.ReplaceAll(q, "**", "")) }

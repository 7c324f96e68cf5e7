package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
)

// widthSample is how many rows of a tab are measured for its columns'
// content widths: all of a small tab, an even spread of a large one, so a
// million-record file costs the same as the embedded dataset.
const widthSample = 2048

// contentWidths measures the widest cell of each column over rows (or an
// even sample of them) in display currency cur.
func contentWidths(c namer, cols []column, rows []int32, cur string) []int {
	widths := make([]int, len(cols))
	recs := c.ds.Records()
	step := max(len(rows)/widthSample, 1)
	for i := 0; i < len(rows); i += step {
		r := recs[rows[i]]
		for j, col := range cols {
			widths[j] = max(widths[j], ansi.StringWidth(col.cell(c, cur, r)))
		}
	}
	return widths
}

// layoutColumns gives each column a width for a table of total width w (the
// row gutter excluded), from what its cells hold (content, from
// contentWidths):
//
//   - a column wants its content's width (at least its title's, with room
//     for the sort mark; at most its max);
//   - keep columns (dates, codes, numbers) never get less than they want: a
//     date without its year or a zone code without its suffix says nothing;
//   - when the wants do not fit, the flexible text columns give up width
//     first, the widest for its weight first, down to their min; then the
//     other columns down to their min;
//   - columns that still cannot fit are dropped from the right; the first
//     one is always kept (shrunk if need be).
//
// It returns the widths, 0 for a dropped column.
func layoutColumns(cols []column, content []int, w int) []int {
	const sep = 2
	n := len(cols)
	want := make([]int, n)
	floor := make([]int, n)
	for i, col := range cols {
		c := col.max
		if i < len(content) {
			c = min(content[i], col.max)
		}
		want[i] = max(c, ansi.StringWidth(col.title)+2)
		floor[i] = min(col.min, want[i])
		if col.keep {
			floor[i] = want[i]
		}
	}
	for n > 1 {
		need := sep * (n - 1)
		for i := 0; i < n; i++ {
			need += floor[i]
		}
		if need <= w {
			break
		}
		n--
	}
	widths := make([]int, len(cols))
	used := sep * (n - 1)
	for i := 0; i < n; i++ {
		widths[i] = want[i]
		used += want[i]
	}
	if n == 1 {
		widths[0] = max(min(want[0], w), 0)
		return widths
	}
	excess := used - w
	// Flexible columns first, by width per unit of weight; the rightmost
	// of equals first, so the leading column keeps its text longest.
	for excess > 0 {
		best := -1
		for i := 0; i < n; i++ {
			if cols[i].flex == 0 || widths[i] <= floor[i] {
				continue
			}
			if best < 0 || widths[i]*cols[best].flex >= widths[best]*cols[i].flex {
				best = i
			}
		}
		if best < 0 {
			break
		}
		widths[best]--
		excess--
	}
	for i := n - 1; i >= 0 && excess > 0; i-- {
		cut := min(widths[i]-floor[i], excess)
		widths[i] -= cut
		excess -= cut
	}
	return widths
}

// fitMiddle is fit for names whose end tells them apart ("Alibaba Cloud
// first data center in Brazil", "… in France"): a long s keeps its start and
// its last word around an ellipsis. A last word too long for that is cut
// from the end as fit does; a single long word keeps a third of the width
// from its end.
func fitMiddle(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw <= w || w < 12 {
		return fit(s, w)
	}
	plain := ansi.Strip(s)
	tailW := (w - 1) / 3
	if sp := strings.LastIndexByte(plain, ' '); sp > 0 {
		lw := ansi.StringWidth(plain[sp:])
		if lw > (w-1)*2/5 {
			// A piece of a word ("…nsion") tells nothing apart: the
			// start reads better.
			return fit(s, w)
		}
		tailW = lw
	}
	tail := ansi.TruncateLeft(s, sw-tailW, "")
	head := ansi.Truncate(s, w-tailW, "…")
	return fit(head+tail, w)
}

// groupOf is the group a row belongs to in a tab that nests rows (a zone
// under its region): a row that follows one of its group leaves the
// inherited cells blank, a row shown alone carries them.
func groupOf(r model.Record) string {
	switch r := r.(type) {
	case *model.Region:
		return r.ID
	case *model.Zone:
		return r.Region
	}
	return ""
}

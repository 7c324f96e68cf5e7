package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// paint is a style reduced to the escape sequences that open and close it.
// The table rows are composed with these on every frame: concatenating two
// strings is far cheaper than lipgloss.Style.Render, and that keeps View
// well under a millisecond on a full 200x60 screen.
type paint struct{ open, close string }

func newPaint(st lipgloss.Style) paint {
	const probe = "\uE000"
	s := st.Render(probe)
	i := strings.Index(s, probe)
	if i < 0 {
		return paint{}
	}
	return paint{open: s[:i], close: s[i+len(probe):]}
}

func (p paint) wrap(s string) string {
	if p.open == "" {
		return s
	}
	return p.open + s + p.close
}

// Styles are built from one renderer: over SSH every session has its own
// renderer, colour profile and background, so styles are never global.
type Styles struct {
	r *lipgloss.Renderer

	App        lipgloss.Style
	Title      lipgloss.Style
	TabActive  lipgloss.Style
	TabPassive lipgloss.Style
	Header     lipgloss.Style
	Status     lipgloss.Style
	StatusKey  lipgloss.Style
	Error      lipgloss.Style
	Dim        lipgloss.Style
	Bold       lipgloss.Style
	Label      lipgloss.Style
	Section    lipgloss.Style
	Quote      lipgloss.Style
	Box        lipgloss.Style
	Pane       lipgloss.Style
	PaneFocus  lipgloss.Style
	Diff       lipgloss.Style
	Max        lipgloss.Style
	Bar        lipgloss.Style
	Mark       lipgloss.Style
	Match      lipgloss.Style
	Cursor     lipgloss.Style
	Prompt     lipgloss.Style
	HelpKey    lipgloss.Style
	HelpDesc   lipgloss.Style
	HelpSep    lipgloss.Style

	// Hot-path paints used to compose table rows.
	pCursor, pMatch, pMark, pDim, pHeader paint
	// reset ends every style; empty when the profile has no colour, so
	// plain output stays plain.
	reset string
}

// NewStyles builds the app's styles for one renderer. A nil renderer means
// the default one (the local terminal).
func NewStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	// Adaptive colours, so the app reads on light and dark terminals.
	colAccent := lipgloss.AdaptiveColor{Light: "#4B47C9", Dark: "#8F8BFF"}
	colDim := lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6C6C6C"}
	colCursorB := lipgloss.AdaptiveColor{Light: "#E3E1FF", Dark: "#34315E"}
	colMatch := lipgloss.AdaptiveColor{Light: "#A14F00", Dark: "#FFB454"}
	colMark := lipgloss.AdaptiveColor{Light: "#08804F", Dark: "#3FD68F"}
	colError := lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF7B72"}
	colDiff := lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#E5C07B"}
	colBorder := lipgloss.AdaptiveColor{Light: "#C8C8D0", Dark: "#44445A"}

	s := Styles{r: r}
	n := r.NewStyle
	s.App = n()
	s.Title = n().Bold(true).Foreground(colAccent)
	s.TabActive = n().Bold(true).Foreground(colAccent).Underline(true)
	s.TabPassive = n().Foreground(colDim)
	s.Header = n().Bold(true).Foreground(colDim)
	s.Status = n()
	s.StatusKey = n().Bold(true).Foreground(colAccent)
	s.Error = n().Bold(true).Foreground(colError)
	s.Dim = n().Foreground(colDim)
	s.Bold = n().Bold(true)
	s.Label = n().Foreground(colDim)
	s.Section = n().Bold(true).Foreground(colAccent)
	s.Quote = n().Italic(true)
	s.Box = n().Border(lipgloss.RoundedBorder()).BorderForeground(colAccent).Padding(0, 1)
	s.Pane = n().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(colBorder).PaddingLeft(1)
	s.PaneFocus = n().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(colAccent).PaddingLeft(1)
	s.Diff = n().Bold(true).Foreground(colDiff)
	s.Max = n().Bold(true).Foreground(colMark)
	s.Bar = n().Foreground(colAccent)
	s.Mark = n().Bold(true).Foreground(colMark)
	s.Match = n().Bold(true).Underline(true).Foreground(colMatch)
	s.Cursor = n().Bold(true).Background(colCursorB)
	s.Prompt = n().Bold(true).Foreground(colAccent)
	s.HelpKey = n().Foreground(colAccent)
	s.HelpDesc = n().Foreground(colDim)
	s.HelpSep = n().Foreground(colBorder)

	s.pCursor = newPaint(s.Cursor)
	s.pMatch = newPaint(s.Match)
	s.pMark = newPaint(s.Mark)
	s.pDim = newPaint(s.Dim)
	s.pHeader = newPaint(s.Header)
	s.reset = s.pMark.close
	return s
}

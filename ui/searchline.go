package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// maxQueryLen bounds the search line, in characters: every keystroke parses
// the whole query and searches for it, so an unbounded line (a 10 KB paste)
// made each keystroke dearer than the last.
const maxQueryLen = 512

// note is a short message for the status or search line; an error is drawn
// as one.
type note struct {
	text    string
	isError bool
}

// searchLine is the text box a search is typed into. It edits text; what
// the text filters, and the filter to go back to on esc, are its owner's.
type searchLine struct {
	c      *common
	input  textinput.Model
	active bool
	width  int
}

func newSearchLine(c *common) searchLine {
	return searchLine{c: c, input: newTextInput(c, "text, country:KR, mw>=100, kind:facility …")}
}

// newTextInput is a text box after "/": the search line's, and the
// detail's related filter.
func newTextInput(c *common, placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.PromptStyle = c.styles.Prompt
	ti.TextStyle = c.styles.App
	ti.PlaceholderStyle = c.styles.Dim
	ti.CompletionStyle = c.styles.Dim
	ti.Placeholder = placeholder
	ti.Cursor.Style = c.styles.Cursor
	ti.Cursor.TextStyle = c.styles.App
	// A static cursor: a blinking one redraws the screen twice a second for
	// every SSH session, for nothing.
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = maxQueryLen
	return ti
}

func (sl *searchLine) SetSize(w, _ int) {
	sl.width = w
	// The rest of the line holds the match counts or an error.
	sl.input.Width = max(w-ansi.StringWidth(sl.input.Prompt)-46, 10)
}

// open focuses the line with text, the cursor at its end.
func (sl *searchLine) open(text string) tea.Cmd {
	sl.active = true
	sl.input.SetValue(text)
	sl.input.CursorEnd()
	return sl.input.Focus()
}

func (sl *searchLine) close() {
	sl.active = false
	sl.input.Blur()
}

func (sl *searchLine) value() string { return sl.input.Value() }

// edit applies an editing key. It reports whether the text changed and
// whether typed text was cut at maxQueryLen.
func (sl *searchLine) edit(msg tea.KeyMsg) (changed, cut bool, cmd tea.Cmd) {
	if inserts(msg) {
		// The search line echoes what is typed: pasted bidi controls or
		// zero-width characters would reorder it or break its width.
		if msg.Runes = []rune(clean(string(msg.Runes))); len(msg.Runes) == 0 {
			return false, false, nil
		}
	}
	before := sl.input.Value()
	cut = inserts(msg) && utf8.RuneCountInString(before)+len(msg.Runes) > maxQueryLen
	if cut && utf8.RuneCountInString(before) >= maxQueryLen {
		return false, true, nil // full: nothing to insert
	}
	sl.input, cmd = sl.input.Update(msg)
	return sl.input.Value() != before, cut, cmd
}

// tooLongNote says that typed text was dropped at the limit, after an error
// already shown.
func tooLongNote(n note) note {
	msg := fmt.Sprintf("the search line holds %d characters; the rest was dropped", maxQueryLen)
	if n.isError && n.text != "" {
		return note{text: n.text + "; " + msg, isError: true}
	}
	return note{text: msg}
}

// inserts says whether a key types text into the search line.
func inserts(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace
}

func (sl *searchLine) help() keyHelp { return sl.c.keys.searchHelp() }

// View is the line with after (the counts, or an error) to its right.
func (sl *searchLine) View(after string) string {
	return clip(sl.input.View()+after, sl.width)
}

// Lines is View with an error message: to the right of the text when it
// fits there, otherwise wrapped on up to most-1 lines beneath it, so that
// the end of the message (the list of fields, the column) is never cut.
func (sl *searchLine) Lines(errText string, most int) []string {
	st := sl.c.styles.Error
	input := sl.input.View()
	if ansi.StringWidth(input)+1+ansi.StringWidth(errText) <= sl.width || most < 2 {
		return []string{sl.View(" " + st.Render(errText))}
	}
	wrapped := strings.Split(ansi.Wrap(errText, max(sl.width-2, 1), ""), "\n")
	if len(wrapped) > most-1 {
		wrapped = wrapped[:most-1]
		wrapped[len(wrapped)-1] = clip(wrapped[len(wrapped)-1]+"…", sl.width-2)
	}
	lines := []string{clip(input, sl.width)}
	for _, l := range wrapped {
		lines = append(lines, "  "+st.Render(l))
	}
	return lines
}

// Package ui is dcx's terminal app: a bubbletea model that browses, searches,
// details and compares the records of a dataset.
//
// One model serves one terminal: the local one, or one SSH session with its
// own renderer. Nothing here is shared between models except the read-only
// *search.Engine. Mouse support needs the program to be started with
// tea.WithMouseCellMotion(); the app works fully without it.
package ui

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/search"
)

// The smallest terminal the app lays out in; below it a message asks for
// more room.
const (
	minWidth  = 40
	minHeight = 10
)

// Options are the start-up choices of the app (the CLI's flags).
type Options struct {
	// Renderer renders the styles; nil means the local terminal's. Over SSH,
	// pass the session's (wish's bubbletea.MakeRenderer).
	Renderer *lipgloss.Renderer
	// Tab is the tab to start on: a name from TabNames (case-insensitive),
	// a kind ("facility") or a number 1-6.
	Tab string
	// Query is a search to apply at start.
	Query string
	// Open is the id of a record whose detail opens at start.
	Open string
	// Currency is the display currency: "original" (or ""), or any
	// currency the dataset's rates reach (USD, EUR, CNY, KRW, ...).
	Currency string
}

// OptionError reports an unusable option; the CLI exits with status 2.
type OptionError struct {
	Option string // "tab", "query", "open" or "currency"
	Value  string
	Msg    string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("--%s %q: %s", e.Option, e.Value, e.Msg)
}

// TabNames lists the names --tab accepts, in tab order.
func TabNames() []string {
	specs := tabSpecs()
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.aliases[0]
	}
	return out
}

// Navigation messages: views ask the root to move between screens.
type (
	openRecordMsg  struct{ id string }
	openCompareMsg struct{}
	backMsg        struct{}
	// openSearchMsg goes back to the browser with its search line open
	// (/ in the detail and the comparison).
	openSearchMsg struct{}
)

// screen is a view the root can stack above the browser.
type screen interface {
	update(msg tea.Msg) tea.Cmd
	view() string
	setSize(w, h int)
	// refresh re-renders after a change of shared state (currency, marks).
	refresh()
	help() keyHelp
	kind() viewKind
	// editing says a text box has the keys: q and the other global
	// keys are text then.
	editing() bool
}

type viewKind int

const (
	viewBrowse viewKind = iota
	viewDetail
	viewCompare
)

// Model is the root model: it routes messages to the active view, keeps the
// back stack and draws the help line and overlay.
type Model struct {
	c        *common
	browse   *browse
	stack    []screen // screens above the browser; the last one is active
	showHelp bool
	// sized is set by the first window size: until then no frame is
	// drawn, since one laid out for a guessed 80x24 flashes in a wider
	// window (over SSH, the size arrives a round trip later).
	sized    bool
	helpVP   viewport.Model // the help overlay's body, which scrolls
	helpLine string
	helpBox  string
}

// New builds the app for one terminal over a catalog that every terminal
// showing the same dataset shares (NewCatalog). The engine may still be
// preparing (search.StartEngine), or not yet started (search.DeferEngine:
// the app starts it after its first frame): the app browses at once, and
// its searches, run in commands, wait for the engine. Options.Query is
// applied before New returns, so it waits too.
func New(cat *Catalog, opts Options) (tea.Model, error) {
	if cat == nil {
		return nil, fmt.Errorf("ui: nil catalog")
	}
	engine := cat.engine
	c := &common{
		namer:   cat.names,
		cat:     cat,
		engine:  engine,
		styles:  NewStyles(opts.Renderer),
		keys:    DefaultKeyMap(),
		markSet: map[string]bool{},
		width:   80,
		height:  24,
	}
	c.help = newHelp(c.styles)
	switch cur := strings.ToUpper(strings.TrimSpace(opts.Currency)); {
	case cur == "" || cur == "ORIGINAL":
	case slices.Contains(cat.currencies[1:], cur):
		c.currency = cur
	default:
		return nil, &OptionError{Option: "currency", Value: opts.Currency,
			Msg: "want original or a currency the dataset's rates reach: " + strings.Join(cat.currencies[1:], ", ")}
	}
	m := &Model{c: c}
	m.browse = newBrowse(c, engine.NewSearcher())
	if opts.Tab != "" {
		i, ok := findTab(m.browse.specs, opts.Tab)
		if !ok {
			return nil, &OptionError{Option: "tab", Value: opts.Tab, Msg: "unknown tab; want one of " + strings.Join(TabNames(), ", ")}
		}
		m.browse.setTab(i) // --query comes after: nothing is ranked yet
	}
	if n := utf8.RuneCountInString(opts.Query); n > maxQueryLen {
		// The search line could not hold it, and the message quotes only
		// its start: the query may be a visitor's SSH command.
		return nil, &OptionError{Option: "query", Value: string([]rune(opts.Query)[:40]) + "…",
			Msg: fmt.Sprintf("%d characters; a search holds at most %d", n, maxQueryLen)}
	}
	if opts.Query != "" {
		q, err := search.ParseQuery(opts.Query)
		if err != nil {
			return nil, &OptionError{Option: "query", Value: opts.Query, Msg: queryErrorText(err)}
		}
		m.browse.applyNow(q)
	}
	if opts.Open != "" {
		r, ok := c.ds.Get(opts.Open)
		if !ok {
			return nil, &OptionError{Option: "open", Value: opts.Open, Msg: "no record has this id"}
		}
		if opts.Tab == "" {
			m.browse.showRecord(r)
		}
		d, _ := newDetail(c, r, false)
		m.push(d)
	}
	m.layout()
	return m, nil
}

func findTab(specs []tabSpec, name string) (int, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for i, s := range specs {
		if n == fmt.Sprint(i+1) || n == strings.ToLower(s.name) || n == strings.ToLower(s.short) {
			return i, true
		}
		for _, a := range s.aliases {
			if n == a {
				return i, true
			}
		}
	}
	return 0, false
}

func newHelp(s Styles) help.Model {
	h := help.New()
	h.FullSeparator = "   "
	h.Styles = help.Styles{
		Ellipsis:       s.HelpSep,
		ShortKey:       s.HelpKey,
		ShortDesc:      s.HelpDesc,
		ShortSeparator: s.HelpSep,
		FullKey:        s.HelpKey,
		FullDesc:       s.HelpDesc,
		FullSeparator:  s.HelpSep,
	}
	return h
}

// Init implements tea.Model. An engine still preparing is waited for in the
// background, so the status redraws when search is ready.
func (m *Model) Init() tea.Cmd { return waitIndex(m.c.engine) }

func (m *Model) active() screen {
	if len(m.stack) > 0 {
		return m.stack[len(m.stack)-1]
	}
	return m.browse
}

func (m *Model) push(s screen) {
	m.stack = append(m.stack, s)
	s.setSize(m.viewSize())
}

// viewSize is the area a view draws in: the terminal less the help line,
// never below the minimum (below it the root shows a message instead).
func (m *Model) viewSize() (int, int) {
	return max(m.c.width, minWidth), max(m.c.height, minHeight) - 1
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.renderChrome()
	return m, cmd
}

// splitKeys handles runes that arrived together as one key each. Fast typing
// and slow links (SSH) coalesce keystrokes into one message: "/ulsan" must
// open the search line and then type "ulsan", not type "/ulsan" into the list.
// Once the search line is open, the rest of the runes are text and go into it
// as one insertion: one update and one search for the message, where one per
// rune made a plain 10 KB paste cost a search per rune of an ever longer
// query. A bracketed paste stays whole.
func (m *Model) splitKeys(msg tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if rest := msg.Runes[i:]; len(rest) > 1 && !msg.Alt && m.typing() {
			// Marked as a paste so that no binding matches it as a whole
			// (the text "home" is not the home key).
			return tea.Batch(append(cmds, m.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: rest, Paste: true}))...)
		}
		one := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
		if r == ' ' {
			one = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{r}, Alt: msg.Alt}
		}
		cmds = append(cmds, m.update(one))
	}
	return tea.Batch(cmds...)
}

// typing says whether keys go to a text box (the search line, the detail's
// related filter).
func (m *Model) typing() bool {
	return !m.showHelp && m.active().editing()
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	k := &m.c.keys
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		first := !m.sized
		m.c.width, m.c.height = max(msg.Width, 0), max(msg.Height, 0)
		m.sized = true
		m.layout()
		if first {
			return startIndex(m.c.engine)
		}
		return nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m.splitKeys(msg)
		}
		if key.Matches(msg, k.ForceQuit) {
			return tea.Quit
		}
		typing := m.typing()
		if m.showHelp {
			switch {
			case key.Matches(msg, k.Quit):
				return tea.Quit
			case key.Matches(msg, k.Help) || key.Matches(msg, k.Back):
				m.showHelp = false
			default:
				k.scroll(&m.helpVP, msg)
			}
			return nil
		}
		if !typing {
			switch {
			case key.Matches(msg, k.Help):
				m.showHelp = true
				m.helpVP.GotoTop()
				return nil
			case key.Matches(msg, k.Currency):
				m.c.cycleCurrency()
				m.refreshAll()
				return nil
			case key.Matches(msg, k.Quit):
				// Everywhere, as in the browser: a key that quits in one
				// view and does nothing in another is a trap.
				return tea.Quit
			}
		}
	case tea.MouseMsg:
		if m.showHelp || m.c.width < minWidth || m.c.height < minHeight {
			return nil
		}
	case openRecordMsg:
		r, ok := m.c.ds.Get(msg.id)
		if !ok {
			return nil
		}
		d, cmd := newDetail(m.c, r, true)
		m.push(d)
		return cmd
	case relatedMsg:
		// To the detail that asked, wherever it is in the stack (or gone).
		msg.d.setRelated(msg.related)
		return nil
	case openCompareMsg:
		if len(m.c.marks) < 2 {
			return nil
		}
		m.push(newCompare(m.c))
		return nil
	case openSearchMsg:
		m.stack = nil
		m.browse.refresh()
		return m.browse.openSearch()
	case backMsg:
		if len(m.stack) > 0 {
			m.stack = m.stack[:len(m.stack)-1]
			// Marks may have changed above; the screen below redraws them.
			m.active().refresh()
		}
		return nil
	case searchResultMsg, indexReadyMsg, indexSlowMsg, sortedMsg, rankedMsg:
		// Results go to the browser even when another screen is on top.
		return m.browse.update(msg)
	}
	return m.active().update(msg)
}

func (m *Model) refreshAll() {
	m.browse.refresh()
	for _, s := range m.stack {
		s.refresh()
	}
}

func (m *Model) layout() {
	w, h := m.viewSize()
	m.browse.setSize(w, h)
	for _, s := range m.stack {
		s.setSize(w, h)
	}
	m.renderChrome()
}

// renderChrome renders the help line and overlay for the current state, once
// per update, so View only assembles.
func (m *Model) renderChrome() {
	w := max(m.c.width, minWidth)
	kh := m.active().help()
	m.c.help.Width = w
	m.c.help.ShowAll = false
	m.helpLine = clip(m.c.help.ShortHelpView(kh.short), w)
	m.helpBox = ""
	if m.showHelp {
		m.helpBox = m.renderHelpBox(kh, max(m.c.width, minWidth), max(m.c.height, minHeight)-1)
	}
}

// View implements tea.Model.
func (m *Model) View() string {
	w, h := m.c.width, m.c.height
	if !m.sized {
		return ""
	}
	if w < minWidth || h < minHeight {
		return tooSmall(m.c.styles, w, h)
	}
	body := m.active().view()
	if m.helpBox != "" {
		body = overlay(body, m.helpBox, w, h-1, m.c.styles.reset)
	}
	return clampView(body+"\n"+m.helpLine, w, h)
}

func tooSmall(s Styles, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := []string{
		s.Error.Render("Terminal too small"),
		fmt.Sprintf("%dx%d, need %dx%d", w, h, minWidth, minHeight),
		s.Dim.Render("Enlarge the window, or ctrl+c to quit."),
	}
	for i, l := range lines {
		lines[i] = s.r.PlaceHorizontal(w, lipgloss.Center, clip(l, w))
	}
	top := max((h-len(lines))/2, 0)
	out := make([]string, 0, h)
	for i := 0; i < top; i++ {
		out = append(out, "")
	}
	out = append(out, lines...)
	return clampView(strings.Join(out, "\n"), w, h)
}

// overlay draws box centred over base, keeping base visible around it.
// reset is the sequence that ends any style left open by the cut base line
// (empty without colour).
func overlay(base, box string, w, h int, reset string) string {
	bl := strings.Split(base, "\n")
	bl = padLines(bl, h)
	boxLines := strings.Split(box, "\n")
	bw := 0
	for _, l := range boxLines {
		bw = max(bw, ansi.StringWidth(l))
	}
	if bw > w || len(boxLines) > h {
		// No room to float: the box replaces the view, clipped.
		return clampView(box, w, h)
	}
	x, y := (w-bw)/2, (h-len(boxLines))/2
	for i, l := range boxLines {
		row := bl[y+i]
		left := ansi.Truncate(row, x, "")
		if lw := ansi.StringWidth(left); lw < x {
			left += strings.Repeat(" ", x-lw)
		}
		right := ansi.TruncateLeft(row, x+bw, "")
		bl[y+i] = left + reset + fit(l, bw) + reset + right
	}
	return strings.Join(bl, "\n")
}

func queryErrorText(err error) string {
	if qe, ok := err.(*search.QueryError); ok {
		return fmt.Sprintf("%s (at column %d)", qe.Msg, qe.Pos+1)
	}
	return err.Error()
}

package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every binding of the app. Handling matches with key.Matches on
// these same values and the help is generated from them, so the help can
// never drift from the behaviour.
type KeyMap struct {
	Up, Down         key.Binding
	Left, Right      key.Binding
	Top, Bottom      key.Binding
	PageUp, PageDown key.Binding
	Open             key.Binding
	Back             key.Binding
	Search           key.Binding
	Mark             key.Binding
	Compare          key.Binding
	ClearMarks       key.Binding
	Sort             key.Binding
	SortReverse      key.Binding
	Currency         key.Binding
	Help             key.Binding
	Quit             key.Binding
	ForceQuit        key.Binding
	NextTab          key.Binding
	PrevTab          key.Binding
	GotoTab          key.Binding
	ClearFilter      key.Binding
	Focus            key.Binding
	NextColumn       key.Binding
	Preview          key.Binding
	Remove           key.Binding
	SearchApply      key.Binding
	SearchCancel     key.Binding
}

// DefaultKeyMap returns the bindings described in the README. It is a
// function, not a package variable, so that no session can alter another's.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Left:         key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "record left")),
		Right:        key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "record right")),
		NextColumn:   key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "next record")),
		Preview:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "preview")),
		Remove:       key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "remove")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:         key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		Search:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Mark:         key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark")),
		Compare:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare")),
		ClearMarks:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "clear marks")),
		Sort:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		SortReverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Currency:     key.NewBinding(key.WithKeys("$"), key.WithHelp("$", "currency")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:         key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		NextTab:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev tab")),
		GotoTab:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", "go to tab")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Focus:        key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "fields/related")),
		SearchApply:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		SearchCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel search")),
	}
}

// keyHelp adapts a view's short and full binding lists to help.KeyMap.
type keyHelp struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h keyHelp) ShortHelp() []key.Binding  { return h.short }
func (h keyHelp) FullHelp() [][]key.Binding { return h.full }

// browseHelp is the browser's help: its own keys around its table's
// (movement) and tab bar's (tabs), which those components list.
func (k KeyMap) browseHelp(filtered bool, table, tabs []key.Binding) keyHelp {
	// The short line keeps to what fits in 100 columns; help and quit come
	// before the currency so that 80 columns still show them (the help
	// model cuts from the right). The tabs are on screen already.
	h := keyHelp{
		short: []key.Binding{k.Open, k.Search, k.Mark, k.Compare, k.Sort, k.Help, k.Quit, k.Currency},
		full: [][]key.Binding{
			table,
			append(append([]key.Binding{k.Open}, tabs...), k.Sort, k.SortReverse),
			{k.Search, k.SearchApply, k.SearchCancel, k.ClearFilter, k.Currency, k.Preview},
			{k.Mark, k.Compare, k.ClearMarks, k.Help, k.Quit, k.ForceQuit},
		},
	}
	if filtered {
		h.short = []key.Binding{k.Open, k.Search, k.ClearFilter, k.Mark, k.Compare, k.Help, k.Quit, k.Currency}
	}
	return h
}

func (k KeyMap) searchHelp() keyHelp {
	return keyHelp{
		short: []key.Binding{k.SearchApply, k.SearchCancel, k.ForceQuit},
		full: [][]key.Binding{
			{k.SearchApply, k.SearchCancel},
			{k.ForceQuit},
		},
	}
}

func (k KeyMap) detailHelp() keyHelp {
	return keyHelp{
		short: []key.Binding{k.Down, k.Focus, k.Open, k.Back, k.Mark, k.Search, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
			{k.Focus, k.Open, k.Back, k.Search},
			{k.Mark, k.Compare, k.ClearMarks},
			{k.Currency, k.Help, k.Quit, k.ForceQuit},
		},
	}
}

func (k KeyMap) compareHelp() keyHelp {
	return keyHelp{
		short: []key.Binding{k.Right, k.Open, k.Remove, k.Back, k.Currency, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
			{k.Left, k.Right, k.NextColumn, k.Open, k.Remove},
			{k.Back, k.ClearMarks, k.Search},
			{k.Currency, k.Help, k.Quit, k.ForceQuit},
		},
	}
}

// scroll moves a viewport with the movement keys; the detail and compare
// views share it so the two scroll alike.
func (k *KeyMap) scroll(vp *viewport.Model, msg tea.KeyMsg) {
	switch {
	case key.Matches(msg, k.Up):
		vp.LineUp(1)
	case key.Matches(msg, k.Down):
		vp.LineDown(1)
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	}
}

// elsewhere says where a key that does nothing in view v has a meaning
// ("s sorts: in the browse view"), for the status line; "" for a key with
// no meaning anywhere, which shows nothing.
func (k *KeyMap) elsewhere(msg tea.KeyMsg, v viewKind) string {
	const browse = ": in the browse view (esc goes back)"
	switch {
	case key.Matches(msg, k.Sort), key.Matches(msg, k.SortReverse):
		return msg.String() + " sorts" + browse
	case key.Matches(msg, k.GotoTab):
		return msg.String() + " picks a tab" + browse
	case key.Matches(msg, k.Preview):
		return "p shows the preview" + browse
	case v == viewCompare && key.Matches(msg, k.Compare):
		return "already comparing the marked records"
	case v == viewDetail && (key.Matches(msg, k.Left) || key.Matches(msg, k.Right)):
		return "tab moves between the fields and the related list"
	}
	return ""
}

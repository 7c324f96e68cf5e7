// Package teaquiet stops Bubble Tea v1 from querying the terminal in its
// package init, before main runs, in every dcx command.
//
// bubbletea v1.3.10's tea_init.go calls lipgloss.HasDarkBackground() from
// init(): on a terminal it writes an OSC 11 background query and a cursor
// position request, then waits for the reply. `dcx export`, `dcx validate`
// and `dcx --help` print text and need no background, yet each paid a
// terminal round trip, and where nothing answers (script(1), expect, a
// relayed pty, editors that run commands on a pty) five seconds of
// termenv.OSCTimeout with the escape codes left in their output. Upstream
// removed the probe in v2 only (charmbracelet/bubbletea#1771), and no option
// turns it off: anything main could do runs after it.
//
// This package's init marks the default renderer's background as known, so
// the probe answers from memory. It runs first because Go initialises
// packages whose imports are ready in import-path order, and this module's
// path sorts before github.com/charmbracelet/bubbletea: that is the only
// reason it is a module of its own (see the replace directive in dcx's
// go.mod). The app still learns the real background: it draws with its own
// renderer on its output, which asks the terminal when the app builds its
// styles, before Bubble Tea takes the terminal over; SSH sessions ask their
// client.
package teaquiet

import "github.com/charmbracelet/lipgloss"

func init() {
	// Dark is what lipgloss assumes when a terminal does not say.
	lipgloss.SetHasDarkBackground(true)
}

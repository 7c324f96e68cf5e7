package server

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
	"github.com/dcx-explorer/dcx/ui"
)

// uiModels serves the real app over one engine, as dcx serve does.
func uiModels(t testing.TB) (NewModelFunc, *search.Engine) {
	t.Helper()
	ds, err := data.Embedded()
	if err != nil {
		t.Fatalf("embedded dataset: %v", err)
	}
	engine := search.NewEngine(ds)
	cat := ui.NewCatalog(engine)
	return func(_ ssh.Session, r *lipgloss.Renderer, query string) (tea.Model, error) {
		return ui.New(cat, ui.Options{Renderer: r, Query: query})
	}, engine
}

// announcements is what the app's tab bar says for a query, computed with
// the engine rather than written down.
func announcements(t *testing.T, engine *search.Engine, query string) string {
	t.Helper()
	q, err := search.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("Announcements %d", engine.NewSearcher().Search(1, q).Counts[model.KindAnnouncement])
}

func TestRealAppOverSSH(t *testing.T) {
	newModel, engine := uiModels(t)
	ts := startServer(t, Config{NewModel: newModel})
	all, kr := announcements(t, engine, ""), announcements(t, engine, "country:KR")
	if all == kr {
		t.Fatalf("the dataset cannot tell the query apart: %s for both", all)
	}

	tt := openTerm(t, ts.addr, termOpts{width: 120, height: 35})
	tt.waitFor(0, all)
	m := tt.mark()
	tt.send("/")
	// Keys sent together arrive as one message; a person types the query
	// after the search box has opened.
	tt.waitFor(m, "country:KR, mw>=100")
	tt.send("country:KR")
	tt.send("\r")
	tt.waitFor(m, kr)
	m = tt.mark()
	tt.resize(90, 30)
	tt.waitFor(m, "Announcements") // redrawn at the new size
	tt.send("q")
	if err := tt.wait(); err != nil {
		t.Fatalf("q: %v (stderr %q)", err, tt.stderr())
	}

	// ssh -t host 'country:KR' opens the app on that search.
	q := openTerm(t, ts.addr, termOpts{cmd: "country:KR", width: 120, height: 35})
	q.waitFor(0, kr)

	// A query the app cannot parse is a one-line error, not a blank screen.
	bad := openTerm(t, ts.addr, termOpts{cmd: "mw>=lots"})
	if st := exitStatus(bad.wait()); st != 1 {
		t.Errorf("exit status %d, want 1", st)
	}
	if bad.stderr() == "" {
		t.Error("a bad query ended the session without a word")
	}
}

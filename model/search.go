package model

// THIS FILE IS A PLACEHOLDER WITH THE AGREED API. The search helper replaces
// the bodies (engine, query language, incremental refinement); the signatures
// below are what ui and cmd build against. Keep them, or update all callers.

import (
	"strings"
	"sync"
)

// Query is a parsed search query: free-text terms (any order), quoted
// phrases, -exclusions, field filters (kind:, company:, country:, area:,
// year:, status:) and numeric comparisons (mw>=100, gpus>10000, usd>=1e9).
type Query struct {
	Raw   string
	terms []string
}

// QueryError says where a query is wrong: Pos is the byte offset in Raw.
type QueryError struct {
	Pos   int
	Token string
	Msg   string
}

func (e *QueryError) Error() string { return e.Msg }

// ParseQuery parses a query. An empty or blank query matches everything.
func ParseQuery(s string) (Query, error) {
	return Query{Raw: s, terms: strings.Fields(strings.ToLower(s))}, nil
}

// Empty reports whether the query selects everything.
func (q Query) Empty() bool { return len(q.terms) == 0 }

// Highlight returns the byte ranges [start, end) of s that the query's free
// text terms and phrases match (case- and diacritic-insensitive), for views to
// emphasise. Ranges are sorted and do not overlap.
func (q Query) Highlight(s string) [][2]int {
	var out [][2]int
	low := strings.ToLower(s)
	for _, t := range q.terms {
		if i := strings.Index(low, t); i >= 0 {
			out = append(out, [2]int{i, i + len(t)})
		}
	}
	return out
}

// Engine searches one Dataset. It is built once per dataset and shared,
// read-only, by every session.
type Engine struct {
	d     *Dataset
	texts []string
}

// NewEngine prepares the search text of every record.
func NewEngine(d *Dataset) *Engine {
	e := &Engine{d: d, texts: make([]string, len(d.Records()))}
	for i, r := range d.Records() {
		e.texts[i] = strings.ToLower(r.RecordID() + " " + r.RecordTitle())
	}
	return e
}

// Dataset is the dataset the engine searches.
func (e *Engine) Dataset() *Dataset { return e.d }

// Result is the outcome of one search. Matches are indices into
// Dataset.Records(), in dataset order; Counts counts them by kind.
type Result struct {
	Seq     uint64
	Query   Query
	Matches []int32
	Counts  map[Kind]int
}

// Searcher is one session's search state: it remembers the previous result
// so that a query extending the previous one refines it. Safe for concurrent
// use; a result with an older Seq than one already returned is never newer.
type Searcher struct {
	e  *Engine
	mu sync.Mutex
}

// NewSearcher starts a session's search state.
func (e *Engine) NewSearcher() *Searcher { return &Searcher{e: e} }

// Search runs q and tags the result with seq.
func (s *Searcher) Search(seq uint64, q Query) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	res := Result{Seq: seq, Query: q, Counts: map[Kind]int{}}
	for i, t := range s.e.texts {
		ok := true
		for _, term := range q.terms {
			if !strings.Contains(t, term) {
				ok = false
				break
			}
		}
		if ok {
			res.Matches = append(res.Matches, int32(i))
			res.Counts[s.e.d.Records()[i].RecordKind()]++
		}
	}
	return res
}

// Search is the one-shot form the CLI uses: parse, run, return the records.
func (d *Dataset) Search(query string) ([]Record, error) {
	q, err := ParseQuery(query)
	if err != nil {
		return nil, err
	}
	res := NewEngine(d).NewSearcher().Search(0, q)
	out := make([]Record, len(res.Matches))
	for i, m := range res.Matches {
		out[i] = d.Records()[m]
	}
	return out, nil
}

package search_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/search"
)

// benchSet is a generated dataset with its engine and, for bubbles, the same
// search texts as plain strings. Sets are cached so impl=dcx and
// impl=bubbles of one size share one dataset.
type benchSet struct {
	e       *search.Engine
	targets []string
}

// benchSets are the sets by size, each generated when first asked for. The
// map is filled at initialization and only read after; sync.OnceValue makes
// each set once.
var benchSets = func() map[int]func() *benchSet {
	sets := map[int]func() *benchSet{}
	for _, n := range []int{1000, 10000, 100000, 1000000} {
		sets[n] = sync.OnceValue(func() *benchSet { return newBenchSet(n) })
	}
	return sets
}()

func benchData(b *testing.B, n int) *benchSet {
	b.Helper()
	set, ok := benchSets[n]
	if !ok {
		b.Fatalf("no benchmark set of %d records (see benchSets)", n)
	}
	return set()
}

func newBenchSet(n int) *benchSet {
	ds := synth.Generate(n, 1)
	if err := ds.Build(); err != nil {
		panic(err)
	}
	e := search.NewEngine(ds)
	s := &benchSet{e: e, targets: make([]string, e.Len())}
	for i := range s.targets {
		s.targets[i] = e.SearchText(i)
	}
	return s
}

// filterQuery is typed one character at a time: 9 searches per op, so the
// incremental path is measured as users hit it.
const (
	filterQuery = "ulsan aws"
	pageRows    = 50 // rows a 200x60 terminal shows: ranked on every keystroke
)

// BenchmarkFilter compares dcx's engine with the filter bubbles' list uses by
// default, over the same records' search texts. At n=1000000 run it with
// -benchtime=1x: bubbles takes seconds per keystroke there.
func BenchmarkFilter(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000, 1000000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100000 {
				b.Skip("n=1000000 skipped in -short mode")
			}
			set := benchData(b, n)
			b.Run("impl=dcx", func(b *testing.B) { typeQuery(b, set.e, filterQuery) })
			b.Run("impl=bubbles", func(b *testing.B) {
				var per []time.Duration
				matches := 0
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					for k := 1; k <= len(filterQuery); k++ {
						start := time.Now()
						ranks := list.DefaultFilter(filterQuery[:k], set.targets)
						per = append(per, time.Since(start))
						matches = len(ranks)
					}
				}
				reportKeystrokes(b, per, matches)
			})
		})
	}
}

// typeQuery types query into a new session one character at a time, b.N
// times, each keystroke a search plus the top rows ranked, as the app does.
func typeQuery(b *testing.B, e *search.Engine, query string) {
	var per []time.Duration
	matches := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := e.NewSearcher()
		for k := 1; k <= len(query); k++ {
			start := time.Now()
			q, err := search.ParseQuery(query[:k])
			if err != nil {
				b.Fatal(err)
			}
			res := s.Search(uint64(k), q)
			res.Top(pageRows)
			per = append(per, time.Since(start))
			matches = res.Len()
		}
	}
	reportKeystrokes(b, per, matches)
}

func reportKeystrokes(b *testing.B, per []time.Duration, matches int) {
	slices.Sort(per)
	b.ReportMetric(float64(per[len(per)/2].Microseconds())/1000, "ms/keystroke")
	b.ReportMetric(float64(per[len(per)-1].Microseconds())/1000, "max-ms/keystroke")
	b.ReportMetric(float64(matches), "matches")
}

// BenchmarkTypo types words no record contains, one character at a time, as
// BenchmarkFilter types "ulsan aws": each prefix that stops matching exactly
// is matched approximately (fuzzy.go), the costliest keystrokes there are.
// "ulsna" allows one edit, "frankfrut" two from its eighth letter. At
// n=1000000 run it with -benchtime=1x.
func BenchmarkTypo(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		for _, word := range []string{"ulsna", "frankfrut"} {
			b.Run(fmt.Sprintf("n=%d/%s", n, word), func(b *testing.B) {
				if testing.Short() && n > 100000 {
					b.Skip("n=1000000 skipped in -short mode")
				}
				typeQuery(b, benchData(b, n).e, word)
			})
		}
	}
}

// BenchmarkPrefixes runs every query of one or two letters (a..z, aa..zz),
// each on a new session with the top rows ranked: the first keystrokes of
// any word, where no earlier result can be refined and a pair such as "in"
// or "st" is in most records. BenchmarkFilter's "ulsan aws" starts with a
// rare "u"; these are the costliest keystrokes of plain typing. It reports
// the median, the 99th percentile and the slowest, and logs the slowest
// query (-v). At n=1000000 run it with -benchtime=1x.
func BenchmarkPrefixes(b *testing.B) {
	var queries []string
	for c := 'a'; c <= 'z'; c++ {
		queries = append(queries, string(c))
		for d := 'a'; d <= 'z'; d++ {
			queries = append(queries, string(c)+string(d))
		}
	}
	for _, n := range []int{100000, 1000000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100000 {
				b.Skip("n=1000000 skipped in -short mode")
			}
			e := benchData(b, n).e
			var per []time.Duration
			slowest, worst := time.Duration(0), ""
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, query := range queries {
					start := time.Now()
					q, err := search.ParseQuery(query)
					if err != nil {
						b.Fatal(err)
					}
					e.NewSearcher().Search(1, q).Top(pageRows)
					d := time.Since(start)
					per = append(per, d)
					if d > slowest {
						slowest, worst = d, query
					}
				}
			}
			b.StopTimer()
			slices.Sort(per)
			b.ReportMetric(float64(per[len(per)/2].Microseconds())/1000, "ms/query")
			b.ReportMetric(float64(per[len(per)*99/100].Microseconds())/1000, "p99-ms/query")
			b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms/query")
			b.Logf("slowest: %q, %v", worst, slowest)
		})
	}
}

// BenchmarkNewEngine measures building the engine and the heap it keeps
// (search texts, attributes) on top of the dataset.
func BenchmarkNewEngine(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100000 {
				b.Skip("n=1000000 skipped in -short mode")
			}
			ds := synth.Generate(n, 1)
			if err := ds.Build(); err != nil {
				b.Fatal(err)
			}
			var before, after runtime.MemStats
			var e *search.Engine
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e = nil
				runtime.GC()
				runtime.ReadMemStats(&before)
				e = search.NewEngine(ds)
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "engine-MB")
			b.ReportMetric(float64(after.HeapAlloc)/(1<<20), "heap-MB")
			runtime.KeepAlive(e)
			runtime.KeepAlive(ds)
		})
	}
}

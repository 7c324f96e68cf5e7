package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
	"github.com/dcx-explorer/dcx/ui"
	"github.com/spf13/cobra"
)

// env is what one run of the CLI shares between its commands: the streams it
// was given and the --data flag. Nothing here outlives the run.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dataPath       string
	// maxDataSize is --max-data-size: the bound on the bytes of --data and
	// of validate's paths (data.Options.MaxSize; -1 for none).
	maxDataSize sizeFlag
}

// appOptions are the root command's start-up flags, handed to ui.Options.
type appOptions struct {
	tab, query, open, currency string
}

func newRootCmd(e *env) *cobra.Command {
	var opts appOptions
	root := &cobra.Command{
		Use:   "dcx",
		Short: "Explore datacenter announcements in the terminal",
		Long: `dcx explores datacenter announcements: companies, cloud regions and zones,
facilities, investments and the sources every fact comes from.

With no command it opens the terminal app on the embedded dataset, or on the
dataset given with --data. The commands below export, check and generate data
and serve the app over SSH.`,
		Example: `  dcx                              # open the app
  dcx --tab facilities --query 'country:KR'
  dcx --open ID                    # open one record's detail
  dcx export --format csv kind:facility
  dcx validate data/dataset`,
		Version:       buildVersion(),
		Args:          cobra.NoArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return runApp(e, opts)
		}),
	}
	root.SetVersionTemplate("dcx {{.Version}}\n")
	// Flag errors are usage errors; tagging them here keeps the exit code
	// right for every subcommand, which inherits this function.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})

	root.PersistentFlags().StringVar(&e.dataPath, "data", "", "use the dataset in `PATH` (a .json file or a folder of them) instead of the embedded one")
	e.maxDataSize = data.DefaultMaxSize
	root.PersistentFlags().Var(&e.maxDataSize, "max-data-size", "refuse datasets larger than `SIZE` (bytes, or with KB, MB, GB; 0 for no limit)")
	root.Flags().StringVar(&opts.tab, "tab", "", "start on tab `NAME` ("+strings.Join(ui.TabNames(), ", ")+", or 1-6)")
	root.Flags().StringVar(&opts.query, "query", "", "start with the search query `Q` applied (e.g. 'country:KR mw>=100')")
	root.Flags().StringVar(&opts.open, "open", "", "start on the detail of the record with id `ID`")
	root.Flags().StringVar(&opts.currency, "currency", "", "show amounts in `CUR`: original (each amount as stated), or USD, EUR, CNY or any currency the dataset's rates reach")
	_ = root.RegisterFlagCompletionFunc("tab", cobra.FixedCompletions(ui.TabNames(), cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("currency", cobra.FixedCompletions(
		[]string{"original", "USD", "EUR", "CNY"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("open", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		ds, err := e.dataset()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		ids := make([]string, 0, ds.Len())
		for _, r := range ds.Records() {
			ids = append(ids, r.RecordID()+"\t"+r.RecordTitle())
		}
		return ids, cobra.ShellCompDirectiveNoFileComp
	})

	root.AddCommand(newExportCmd(e), newValidateCmd(e), newGenCmd(e), newServeCmd(e))
	return root
}

// dataset loads the dataset the run works on: --data when given, otherwise
// the embedded one (parsed once per process by data.Embedded).
func (e *env) dataset() (*model.Dataset, error) {
	if e.dataPath == "" {
		ds, err := data.Embedded()
		if err != nil {
			return nil, e.dataError("embedded dataset", err)
		}
		return ds, nil
	}
	prog := new(data.Progress)
	ds, err := withLoadingNote(e.stderr, e.dataPath, prog, func() (*model.Dataset, error) {
		return data.Options{Progress: prog, MaxSize: e.maxDataSize.limit()}.Load(e.dataPath)
	})
	if err != nil {
		return nil, e.dataError(e.dataPath, err)
	}
	return ds, nil
}

// dataError prints every problem of an invalid dataset on stderr, one per
// line, and returns the one-line summary the run ends with.
func (e *env) dataError(what string, err error) error {
	var problems data.Errors
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(e.stderr, p.String())
		}
		return &exitError{code: exitData, err: fmt.Errorf("%s is not a valid dataset: %s", what, model.Plural(problems.Count(), "problem"))}
	}
	return &exitError{code: exitData, err: fmt.Errorf("loading %s: %w", what, err)}
}

// runApp opens the terminal app. The options are checked against the data
// before the terminal is, so a script can test a --tab or --open value.
func runApp(e *env, opts appOptions) error {
	var restore func()
	if e.dataPath == "" {
		restore = quietStart()
		defer restore()
	}
	ds, err := e.dataset()
	if err != nil {
		return err
	}
	if err := checkAppOptions(ds, opts); err != nil {
		return err
	}
	out, isFile := e.stdout.(*os.File)
	// The renderer follows the output the app draws on: its colour profile
	// and background come from that terminal.
	// The search index is prepared in the background once the first frame
	// is drawn (the app starts it): the list shows at once, and a search
	// typed meanwhile waits for it (two seconds at a million records; the
	// status line says so).
	engine := search.DeferEngine(ds)
	settleMemory(engine, restore)
	m, err := ui.New(ui.NewCatalog(engine), ui.Options{
		Renderer: lipgloss.NewRenderer(e.stdout),
		Tab:      opts.tab,
		Query:    opts.query,
		Open:     opts.open,
		Currency: opts.currency,
	})
	if err != nil {
		var optErr *ui.OptionError
		var qErr *search.QueryError
		if errors.As(err, &optErr) || errors.As(err, &qErr) {
			return &exitError{code: exitUsage, err: err}
		}
		return err
	}
	if !isFile || !term.IsTerminal(out.Fd()) {
		// A full-screen app written into a pipe or a file is escape-code
		// garbage; say what to use instead and fail like a usage error.
		return usageErrorf("the app needs a terminal and stdout is not one; use 'dcx export' to print records")
	}
	// bubbletea draws on a frame tick, and its first tick comes one frame
	// after the program starts: at 120 fps (its highest) that is 8.3 ms of
	// the first frame instead of 16.7. Idle ticks with nothing changed cost
	// next to nothing; the SSH server keeps the default for its many sessions.
	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithOutput(e.stdout), tea.WithFPS(120)}
	if f, ok := e.stdin.(*os.File); !ok || f != os.Stdin {
		// On the process's own stdin bubbletea's default input is best: it
		// falls back to /dev/tty when stdin is a pipe. Any other input (a
		// test's pseudo-terminal) is used as given.
		progOpts = append(progOpts, tea.WithInput(e.stdin))
	}
	if _, err := tea.NewProgram(m, progOpts...).Run(); err != nil {
		return fmt.Errorf("running the app: %w", err)
	}
	return nil
}

// sizeFlag is a size in bytes given as 256MB, 1GB, 65536 (units are powers
// of 1024; KiB and K mean KB). 0 means no limit.
type sizeFlag int64

func (f *sizeFlag) String() string {
	n := int64(*f)
	switch {
	case n > 0 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "GB"
	case n > 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MB"
	case n > 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KB"
	}
	return strconv.FormatInt(n, 10)
}

func (f *sizeFlag) Set(s string) error {
	num := strings.TrimRight(s, "KMGBibkmg")
	unit := strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(s[len(num):], "B"), "i"))
	shift := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30}
	sh, ok := shift[unit]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if !ok || err != nil || n < 0 || n > math.MaxInt64>>sh {
		return fmt.Errorf("want a size such as 256MB, 1GB or 0 (no limit), got %q", s)
	}
	*f = sizeFlag(n << sh)
	return nil
}

func (f *sizeFlag) Type() string { return "size" }

// limit is the flag as data.Options.MaxSize: 0 (no limit) becomes -1.
func (f sizeFlag) limit() int64 {
	if f == 0 {
		return -1
	}
	return int64(f)
}

// checkAppOptions checks the start-up flags that depend on the dataset
// before ui.New does, to answer with what the dataset offers: the
// currencies its rates reach, the ids closest to a mistyped one.
func checkAppOptions(ds *model.Dataset, opts appOptions) error {
	if cur := strings.ToUpper(strings.TrimSpace(opts.currency)); cur != "" && cur != "ORIGINAL" {
		if reach := ds.DisplayCurrencies()[1:]; !slices.Contains(reach, cur) {
			return usageErrorf("--currency %q: want original (each amount as stated) or a currency the dataset's rates reach: %s",
				opts.currency, strings.Join(reach, ", "))
		}
	}
	if opts.open != "" {
		if _, ok := ds.Get(opts.open); !ok {
			return usageErrorf("--open %q: no record has this id%s", opts.open, didYouMean(ds.SuggestIDs(opts.open, 3)))
		}
	}
	return nil
}

// didYouMean is the suggestion an error ends with, as the loader suggests a
// field for a misspelt key: ` (did you mean "a", "b" or "c"?)`, or "" for
// none.
func didYouMean(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(id)
	}
	list := q[0]
	if len(q) > 1 {
		list = strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
	}
	return " (did you mean " + list + "?)"
}

// Command dcx explores datacenter announcements: a terminal app over an
// embedded, fully sourced dataset, plus export, validate, gen and serve.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	// Before bubbletea's init: no terminal query at start-up (see teaquiet).
	_ "dcx-explorer.github.io/teaquiet"
	"github.com/spf13/cobra"

	"github.com/dcx-explorer/dcx/data"
)

// Exit codes. Scripts rely on them, so they are part of the CLI's contract.
const (
	exitOK    = 0
	exitData  = 1 // the data is invalid or a file cannot be read or written
	exitUsage = 2 // the command line is wrong (flag, argument, option value)
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code. It never calls
// os.Exit, so tests drive the whole CLI in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(&env{stdin: stdin, stdout: stdout, stderr: stderr})
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Only errors cobra raises before a command runs (unknown flag or
		// command, missing required flag, wrong number of arguments) arrive
		// unwrapped: every RunE wraps its own.
		ee = &exitError{code: exitUsage, err: err}
	}
	if ee.err != nil && !ee.printed {
		// The message may name a path or quote a file: escaped, so that
		// neither can drive the terminal.
		fmt.Fprintf(stderr, "dcx: %s\n", data.Escape(ee.err.Error()))
	}
	if ee.code == exitUsage && cmd != nil {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return ee.code
}

// exitError carries the exit code a command chose. printed means the command
// already reported the problem on stderr (a list of data problems, say).
type exitError struct {
	code    int
	err     error
	printed bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// runE adapts a command's body so that every error it returns carries an exit
// code: usage errors keep 2, anything else becomes a data error (1).
func runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		if err == nil {
			return nil
		}
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return &exitError{code: exitData, err: err}
	}
}

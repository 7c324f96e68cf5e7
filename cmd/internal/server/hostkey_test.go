package server

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestHostKeyIsCreatedPrivateAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dcx", "ssh_host_ed25519_key")
	first := startServer(t, Config{HostKeyPath: path})
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("host key directory mode %v, want 0700", dir.Mode().Perm())
	}
	keyBytes, _ := os.ReadFile(path)

	second := startServer(t, Config{HostKeyPath: path})
	a, b := hostKeyOf(t, first.addr), hostKeyOf(t, second.addr)
	if a.Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s, want ed25519", a.Type())
	}
	if !bytes.Equal(a.Marshal(), b.Marshal()) {
		t.Error("a restarted server presented a different host key")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, keyBytes) {
		t.Error("the key file changed on restart")
	}
}

func TestBadHostKeyIsAnErrorAndKept(t *testing.T) {
	dir := t.TempDir()
	malformed := filepath.Join(dir, "malformed")
	if err := os.WriteFile(malformed, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A directory where the key should be cannot be read (file modes do not
	// stop root, who may run the tests).
	unreadable := filepath.Join(dir, "unreadable")
	if err := os.Mkdir(unreadable, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{malformed, unreadable} {
		_, err := New(Config{HostKeyPath: path, NewModel: newTestModel})
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file", path, err)
		}
	}
	if b, _ := os.ReadFile(malformed); string(b) != "not a key\n" {
		t.Errorf("the malformed key was replaced with %q", b)
	}
}

func TestDefaultHostKeyPathFollowsXDG(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if p, err := DefaultHostKeyPath(); err != nil || p != "/srv/data/dcx/ssh_host_ed25519_key" {
		t.Errorf("got %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/visitor")
	if p, err := DefaultHostKeyPath(); err != nil || p != "/home/visitor/.local/share/dcx/ssh_host_ed25519_key" {
		t.Errorf("got %q, %v", p, err)
	}
}

// hostKeyOf connects to addr and returns the host key it presents.
func hostKeyOf(t *testing.T, addr string) gossh.PublicKey {
	t.Helper()
	var got gossh.PublicKey
	cfg := &gossh.ClientConfig{
		User: "visitor",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			got = key
			return nil
		},
		Timeout: waitTime,
	}
	c, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	return got
}

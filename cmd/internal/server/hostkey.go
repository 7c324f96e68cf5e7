package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// DefaultHostKeyPath is $XDG_DATA_HOME/dcx/ssh_host_ed25519_key, falling back
// to ~/.local/share as the XDG base directory spec says.
func DefaultHostKeyPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("host key: no data directory (set XDG_DATA_HOME or HOME, or pass --host-key): %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "dcx", "ssh_host_ed25519_key"), nil
}

// LoadOrCreateHostKey returns the PEM host key at path, creating an ed25519
// key there (mode 0600, directory 0700) if nothing exists yet. A file that
// exists but cannot be read or parsed is an error: replacing it would change
// the server's identity under every client that trusts it.
//
// wish.WithHostKeyPath is not used because its key generator chmods an
// existing parent directory to 0700 and writes a .pub file beside the key.
func LoadOrCreateHostKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if _, err := gossh.ParsePrivateKey(b); err != nil {
			return nil, fmt.Errorf("host key %s: %w (fix or move the file; dcx never replaces an existing key)", path, err)
		}
		return b, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("host key: %w", err)
	}

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("host key: generating: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "dcx host key")
	if err != nil {
		return nil, fmt.Errorf("host key: encoding: %w", err)
	}
	b = pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	// O_EXCL: two servers starting at once must not overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateHostKey(path)
		}
		return nil, fmt.Errorf("host key: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("host key: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("host key: writing %s: %w", path, err)
	}
	return b, nil
}

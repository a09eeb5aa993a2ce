package caddymodule

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/hector-scim/hector-scim/translate/provision"
)

// progressEvery is how often the progress line is redrawn at most.
const progressEvery = 100 * time.Millisecond

// progressLine draws how far a read of Hector is on one line of a
// terminal; on anything else (a file, a pipe, a CI log) it draws nothing.
// Its methods are not safe for concurrent use (provision.Snapshot never
// reports concurrently).
type progressLine struct {
	w     io.Writer
	on    bool
	drawn bool
	last  time.Time
	now   func() time.Time
}

// newProgress draws on f when f is a terminal.
func newProgress(f *os.File) *progressLine {
	return &progressLine{w: f, on: term.IsTerminal(int(f.Fd())), now: time.Now}
}

// update redraws the line, at most every progressEvery, and always once
// everything is read.
func (p *progressLine) update(pr provision.Progress) {
	if !p.on {
		return
	}
	complete := pr.UsersTotal > 0 && pr.Users >= pr.UsersTotal && pr.Groups >= pr.GroupsTotal
	if now := p.now(); complete || now.Sub(p.last) >= progressEvery {
		p.last = now
		p.drawn = true
		fmt.Fprintf(p.w, "\rreading Hector: users %d/%d, groups %d/%d\x1b[K", pr.Users, pr.UsersTotal, pr.Groups, pr.GroupsTotal)
	}
}

// done clears the line.
func (p *progressLine) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

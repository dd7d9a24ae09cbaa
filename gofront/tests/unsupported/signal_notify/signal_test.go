package signal_notify

import (
	"os"
	"os/signal"
	"testing"
)

func TestNotify(t *testing.T) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
}

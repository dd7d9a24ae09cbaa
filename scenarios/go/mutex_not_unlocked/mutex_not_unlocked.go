// Package mutex_not_unlocked: Withdraw returns early on insufficient
// funds while still holding the account's Mutex.
//
// handle runs one goroutine per withdrawal and collects their results,
// giving up after a second. A withdrawal larger than the balance returns
// errInsufficientFunds without unlocking a.mu, so every later request for
// the account blocks in Lock for ever. The handler times out and returns,
// nothing crashes, and the blocked requests simply stay, on a Mutex that
// only they can reach: a partial deadlock. (Had the caller waited for all
// results without a timeout, Go would report a global deadlock; a server
// never goes idle, so in production they pile up silently.)
//
// Fix: defer a.mu.Unlock() right after a.mu.Lock().
package mutex_not_unlocked

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

var errInsufficientFunds = errors.New("insufficient funds")

// Account is a bank account.
type Account struct {
	mu      sync.Mutex
	balance int
}

// WithdrawLeavingLocked is the buggy Withdraw.
func (a *Account) WithdrawLeavingLocked(amount int) error {
	a.mu.Lock()
	if amount > a.balance {
		return errInsufficientFunds // a.mu stays locked
	}
	a.balance -= amount
	a.mu.Unlock()
	return nil
}

// Withdraw is the fixed one.
func (a *Account) Withdraw(amount int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if amount > a.balance {
		return errInsufficientFunds
	}
	a.balance -= amount
	return nil
}

// handle runs the withdrawals concurrently and waits for their results,
// up to timeout for each.
func handle(withdraw func(amount int) error, amounts []int, timeout time.Duration) {
	done := make(chan error, len(amounts))
	for _, amount := range amounts {
		go func(amount int) { done <- withdraw(amount) }(amount)
	}
	for range amounts {
		select {
		case <-done:
		case <-time.After(timeout):
			return // requests stuck in Lock stay stuck
		}
	}
}

// randomAmounts picks three amounts of 0, 50, 100 or 150.
func randomAmounts() []int {
	amounts := make([]int, 3)
	for i := range amounts {
		amounts[i] = 50 * rand.Intn(4)
	}
	return amounts
}

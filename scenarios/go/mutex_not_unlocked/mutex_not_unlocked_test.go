package mutex_not_unlocked

import (
	"testing"
	"time"
)

// TestMutexNotUnlocked_buggy withdraws three amounts from an account of
// 100; one too large leaves the Mutex locked and the later ones stuck.
//
//chanfuzz:expect partial_deadlock
func TestMutexNotUnlocked_buggy(t *testing.T) {
	a := &Account{balance: 100}
	handle(a.WithdrawLeavingLocked, randomAmounts(), time.Second)
}

// TestMutexNotUnlocked_fixed does the same with the Unlock deferred.
func TestMutexNotUnlocked_fixed(t *testing.T) {
	a := &Account{balance: 100}
	handle(a.Withdraw, randomAmounts(), time.Second)
}

package db

import "time"

// User is a person with an account.
type User struct {
	ID        int64
	Email     string
	Name      string
	Admin     bool
	CreatedAt time.Time
}

// NewUser is what creating an account takes.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Admin    bool
}

// Validate checks and normalizes the input.
func (in *NewUser) Validate() error {
	var err error
	if in.Email, err = NormalizeEmail(in.Email); err != nil {
		return err
	}
	if in.Name, err = ValidateName(in.Name); err != nil {
		return err
	}
	return ValidatePassword(in.Password)
}

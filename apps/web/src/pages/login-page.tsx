import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { overmind } from '../api/overmind-client.js';
import { sessionStore } from '../api/session-store.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useSession } from '../session-context.js';

/** Where RequireAuth sent the user from, so logging in takes them back there. */
export interface LoginState {
  from?: string;
}

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as LoginState | null)?.from ?? '/nodes';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => overmind.login(username, password),
    onSuccess: ({ token, user }) => {
      sessionStore.set({ token, user: { id: user.id, username: user.username, role: user.role } });
      void navigate(from, { replace: true });
    },
  });
  if (session && !login.isSuccess) return <Navigate to={from} replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <main className="login">
      <form className="card form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Overmind</h1>
        <div className="field">
          <label htmlFor="username">Username</label>
          <input id="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <ErrorNotice error={login.error} />
        <button type="submit" className="primary" disabled={login.isPending}>Log in</button>
      </form>
    </main>
  );
}

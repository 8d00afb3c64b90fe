import type { Role, User } from '@overmind/sdk';
import { useState, type FormEvent } from 'react';
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers } from '../../api/admin-queries.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { FormField } from '../../components/form-field.js';
import { fieldMessages } from '../../components/schema-fields.js';
import { useSession } from '../../session-context.js';
import { TableScroll } from '../../components/table-scroll.js';

const ROLES: Role[] = ['admin', 'operator', 'observer'];

function CreateUserForm() {
  const [form, setForm] = useState({ username: '', password: '', role: 'observer' as Role });
  const create = useCreateUser();
  const errors = fieldMessages(create.error, 'body');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form, { onSuccess: () => setForm({ username: '', password: '', role: 'observer' }) });
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Add a user">
      <h2>Add a user</h2>
      <FormField id="user-username" label="Username *" errors={errors.username}>
        <input required autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
      </FormField>
      <FormField id="user-password" label="Password *" errors={errors.password} help="At least 8 characters">
        <input type="password" required minLength={8} autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
      </FormField>
      <FormField id="user-role" label="Role" errors={errors.role}>
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>
      </FormField>
      <ErrorNotice error={create.error} />
      {create.isSuccess && <p role="status">User {create.data.username} added.</p>}
      <button type="submit" className="primary" disabled={create.isPending}>Add user</button>
    </form>
  );
}

function UserRow({ user, self }: { user: Pick<User, 'id' | 'username' | 'role'>; self: boolean }) {
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const [password, setPassword] = useState('');
  const reset = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ id: user.id, password }, { onSuccess: () => setPassword('') });
  };
  return (
    <tr>
      <td>{user.username}{self ? ' (you)' : ''}</td>
      <td>
        <select aria-label={`Role of ${user.username}`} value={user.role} disabled={update.isPending} onChange={(e) => update.mutate({ id: user.id, role: e.target.value as Role })}>
          {ROLES.map((r) => <option key={r}>{r}</option>)}
        </select>
      </td>
      <td>
        <form onSubmit={reset} aria-label={`Reset password of ${user.username}`}>
          <input type="password" required minLength={8} autoComplete="new-password" aria-label={`New password for ${user.username}`} value={password} onChange={(e) => setPassword(e.target.value)} />{' '}
          <button type="submit" disabled={update.isPending}>Reset password</button>
        </form>
      </td>
      <td>
        <ConfirmButton label="Delete" danger disabled={remove.isPending || self} question={<>Delete user <strong>{user.username}</strong>?</>} onConfirm={() => remove.mutate(user.id)} />
        {update.isSuccess && <span role="status"> Saved.</span>}
        <ErrorNotice error={update.error ?? remove.error} />
      </td>
    </tr>
  );
}

export function UsersPage() {
  const session = useSession();
  const users = useUsers();
  return (
    <section>
      <h1>Users</h1>
      <ErrorNotice error={users.error} />
      <TableScroll>
        <table aria-label="Users" aria-busy={users.isFetching}>
          <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Password</th><th scope="col">Actions</th></tr></thead>
          <tbody>{users.data?.items.map((u) => <UserRow key={u.id} user={u} self={u.id === session?.user.id} />)}</tbody>
        </table>
      </TableScroll>
      <CreateUserForm />
    </section>
  );
}

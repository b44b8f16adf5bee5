/**
 * The cookie side of the portal: login/logout/session (Auth.js conventions), the token
 * management API the extension calls from a portal tab, and the dashboard pages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { assertSameOrigin } from './csrf';
import { notFound, PortalError, unauthenticated, validationError } from './errors';
import { readFormOrJson, redirect, sendHtml, sendJson, wantsJson } from './http-io';
import { dashboardPage, loginPage, tokensPage } from './pages';
import { checkCredentials, type PortalState, sessionOf } from './portal-state';
import type { Router } from './router';
import type { Patient } from './seed-data';
import { clearedSessionCookie, sessionCookie } from './session-store';
import { fromForm, generateToken, tokenListing } from './token-generation';

const LOGIN_ERRORS: Record<string, string> = {
  CredentialsSignin: 'Adresse e-mail ou mot de passe incorrect.',
};

const RevokeForm = z.object({ id: z.string().min(1) });

export function registerDashboardRoutes(router: Router, state: PortalState): void {
  const requirePatient = (req: IncomingMessage): Patient => {
    const current = sessionOf(state, req);
    if (!current) throw unauthenticated();
    return current.patient;
  };
  /** Pages send a logged-out visitor to the login page rather than an error. */
  const pagePatient = (req: IncomingMessage, res: ServerResponse): Patient | undefined => {
    const current = sessionOf(state, req);
    if (!current) redirect(res, '/login');
    return current?.patient;
  };
  const sameOrigin = (req: IncomingMessage) => assertSameOrigin(req, state.ownOrigins);

  router.on('GET', '/', ({ req, res }) =>
    redirect(res, sessionOf(state, req) ? '/dashboard' : '/login'),
  );

  router.on('GET', '/login', ({ req, res, url }) => {
    if (sessionOf(state, req)) return redirect(res, '/dashboard');
    const error = LOGIN_ERRORS[url.searchParams.get('error') ?? ''];
    sendHtml(res, 200, loginPage({ error, email: url.searchParams.get('email') ?? undefined }));
  });

  router.on('POST', '/api/auth/login', async ({ req, res }) => {
    sameOrigin(req);
    const body = await readFormOrJson(req);
    const fields =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const patient = checkCredentials(fields['email'], fields['password']);
    if (!patient) {
      if (wantsJson(req))
        throw new PortalError(401, 'invalid_credentials', 'Wrong e-mail or password');
      const email = typeof fields['email'] === 'string' ? fields['email'] : '';
      return redirect(res, `/login?error=CredentialsSignin&email=${encodeURIComponent(email)}`);
    }
    const session = state.sessions.create(patient.id);
    const cookie = { 'Set-Cookie': sessionCookie(session) };
    if (!wantsJson(req)) return redirect(res, '/dashboard', cookie);
    sendJson(res, 200, { user: sessionUser(patient), expires: session.expires }, cookie);
  });

  router.on('POST', '/api/auth/logout', ({ req, res }) => {
    sameOrigin(req);
    const current = sessionOf(state, req);
    state.sessions.end(current?.session.id);
    const cookie = { 'Set-Cookie': clearedSessionCookie };
    if (!wantsJson(req)) return redirect(res, '/login', cookie);
    sendJson(res, 200, { message: 'Logged out' }, cookie);
  });

  router.on('GET', '/api/auth/session', ({ req, res }) => {
    const current = sessionOf(state, req);
    sendJson(
      res,
      200,
      current ? { user: sessionUser(current.patient), expires: current.session.expires } : {},
    );
  });

  router.on('POST', '/api/tokens/generate', async ({ req, res }) => {
    sameOrigin(req);
    const patient = requirePatient(req);
    const input = await readFormOrJson(req);
    const { token, record } = await generateToken(
      state.tokens,
      patient,
      input,
      state.tokenLifetimeSeconds,
    );
    sendJson(res, 201, {
      message: 'Token created: copy it now, it will not be shown again',
      token: { ...tokenListing(record), tokenMcp: token },
    });
  });

  router.on('GET', '/api/tokens/mcp', ({ req, res }) => {
    sameOrigin(req);
    const patient = requirePatient(req);
    sendJson(res, 200, { tokens: state.tokens.listFor(patient.id).map(tokenListing) });
  });

  router.on('DELETE', '/api/tokens/mcp', ({ req, res, url }) => {
    sameOrigin(req);
    const patient = requirePatient(req);
    const id = url.searchParams.get('id');
    if (!id) throw validationError([{ field: 'id', message: 'required' }]);
    revokeOwn(state, patient, id);
    sendJson(res, 200, { message: 'Token revoked' });
  });

  router.on('GET', '/dashboard', ({ req, res }) => {
    const patient = pagePatient(req, res);
    if (!patient) return;
    const upcoming = state.appointments.upcoming(patient.id, 5);
    const records = [...(state.records.get(patient.id) ?? [])]
      .sort((a, b) => b.date.localeCompare(a.date))
      .slice(0, 4);
    sendHtml(res, 200, dashboardPage(patient, upcoming, records));
  });

  router.on('GET', '/dashboard/tokens', ({ req, res }) => {
    const current = sessionOf(state, req);
    if (!current) return redirect(res, '/login');
    const newToken = state.sessions.takeNewToken(current.session);
    sendHtml(
      res,
      200,
      tokensPage(current.patient, state.tokens.listFor(current.patient.id), { newToken }),
    );
  });

  // Post/Redirect/Get: reloading the page neither resubmits the form nor shows the secret again.
  router.on('POST', '/dashboard/tokens', async ({ req, res }) => {
    sameOrigin(req);
    const current = sessionOf(state, req);
    if (!current) return redirect(res, '/login');
    const form = await readFormOrJson(req);
    const input = wantsJson(req) ? form : fromForm(form as Record<string, string | string[]>);
    try {
      const { token, record } = await generateToken(
        state.tokens,
        current.patient,
        input,
        state.tokenLifetimeSeconds,
      );
      state.sessions.stashNewToken(current.session, { id: record.id, secret: token });
      redirect(res, '/dashboard/tokens');
    } catch (error) {
      if (!(error instanceof PortalError) || error.code !== 'validation_error') throw error;
      const details = (error.toJson()['details'] ?? []) as Array<{ field: string }>;
      const fields = [...new Set(details.map((d) => d.field.split('.')[0]))].join(', ');
      const page = tokensPage(current.patient, state.tokens.listFor(current.patient.id), {
        error: `Formulaire invalide : vérifiez ${fields}.`,
      });
      sendHtml(res, 422, page);
    }
  });

  router.on('POST', '/dashboard/tokens/revoke', async ({ req, res }) => {
    sameOrigin(req);
    const patient = pagePatient(req, res);
    if (!patient) return;
    const form = RevokeForm.safeParse(await readFormOrJson(req));
    // A stale page may name a token already gone: the list it returns to says so.
    if (form.success && state.tokens.get(form.data.id)?.patientId === patient.id) {
      state.tokens.revoke(form.data.id);
    }
    redirect(res, '/dashboard/tokens');
  });

  router.on('GET', '/.well-known/jwks.json', ({ res }) => {
    sendJson(res, 200, state.tokens.jwks(), { 'Cache-Control': 'public, max-age=300' });
  });
}

const sessionUser = (p: Patient) => ({ id: p.id, email: p.email, name: p.name });

/** Revokes a token of this patient; someone else's id is "not found", never revoked. */
function revokeOwn(state: PortalState, patient: Patient, id: string): void {
  const record = state.tokens.get(id);
  if (!record || record.patientId !== patient.id) throw notFound(`No token with id "${id}"`);
  state.tokens.revoke(id);
}

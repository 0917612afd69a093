import * as oidc from 'openid-client';
import type { ProConnectSettings } from '../config.js';
import { AppError } from '../core/errors.js';

/** What the site keeps, in a signed cookie, between sending the agent to ProConnect and their return. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  /** The PKCE code verifier; only its S256 challenge went to the provider. */
  verifier: string;
  /** The page of this site to go to afterwards. */
  next: string;
}

/** Who ProConnect says the agent is. */
export interface ProConnectIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  /** Kept with the session: signing out hands it back to the provider (id_token_hint). */
  idToken: string;
}

// ProConnect's scopes: its agents' names come as given_name and usual_name (the name in use).
const SCOPE = 'openid email given_name usual_name';

/** A sign-in refused, with what the agent should know; nothing was created or linked. */
export function signInRefused(message: string, cause?: unknown): AppError {
  const error = new AppError('sign_in_refused', `La connexion avec ProConnect a échoué : ${message}`);
  error.cause = cause;
  return error;
}

/**
 * The OpenID Connect client of ProConnect (openid-client): authorization code flow with PKCE
 * (S256), state and nonce checked, the ID token's signature and claims checked, the e-mail read
 * from UserInfo. The provider's metadata is read once, on the first sign-in.
 */
export class ProConnectClient {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: ProConnectSettings,
    /** This site's address of the return page, registered with the provider. */
    readonly redirectUri: string,
  ) {}

  private discover(): Promise<oidc.Configuration> {
    // Plain HTTP only for a provider on this machine (tests, a local development provider).
    const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(this.settings.issuer);
    this.configuration ??= oidc
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        this.settings.clientSecret,
        undefined,
        local ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        const unavailable = new AppError(
          'sign_in_unavailable',
          'ProConnect ne répond pas pour l’instant. Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe.',
        );
        unavailable.cause = error;
        throw unavailable;
      });
    return this.configuration;
  }

  /** The provider's address to send the agent to, and what to keep until they come back. */
  async start(next: string): Promise<{ url: string; pending: PendingSignIn }> {
    const configuration = await this.discover();
    const pending = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      next,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /**
   * The provider's sign-out address for a session opened through it, which sends the browser
   * back to `afterwards`; null when the provider publishes none.
   */
  async endSessionUrl(idToken: string, afterwards: string): Promise<string | null> {
    const configuration = await this.discover();
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(configuration, {
      id_token_hint: idToken,
      post_logout_redirect_uri: afterwards,
      state: oidc.randomState(),
    }).href;
  }

  /**
   * Exchanges the code of the return address for the agent's identity. A state that is not
   * the one sent, a code already used or not this client's, a nonce or a signature that does
   * not match: all refused.
   */
  async finish(returnUrl: URL, pending: PendingSignIn): Promise<ProConnectIdentity> {
    const configuration = await this.discover();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, returnUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw signInRefused('le lien de retour n’est pas valable ou a déjà servi. Recommencez la connexion.', error);
    }
    const sub = tokens.claims()?.sub as string;
    const info = await oidc.fetchUserInfo(configuration, tokens.access_token, sub).catch((error: unknown) => {
      throw signInRefused('ProConnect n’a pas donné votre adresse e-mail. Recommencez la connexion.', error);
    });
    if (typeof info.email !== 'string' || info.email === '') {
      throw signInRefused('ProConnect n’a pas donné votre adresse e-mail.');
    }
    const name = [info.given_name, info.usual_name ?? info.family_name].filter(
      (part) => typeof part === 'string' && part,
    );
    return {
      sub,
      email: info.email.trim().toLowerCase(),
      emailVerified: info.email_verified === true,
      name: name.join(' '),
      idToken: tokens.id_token as string,
    };
  }
}

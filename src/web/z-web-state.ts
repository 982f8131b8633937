/**
 * What the demo portal keeps in the browser: one signed cookie (state-cookie.ts) holding the
 * language, the CSRF token, the wallet request in progress and, once logged in, the portal session
 * id. Nothing else: claims stay in the verifier's session store. Checked again after the signature,
 * so a cookie signed by an older version of the code is refused rather than misread.
 */
import { z } from 'zod';

export const languages = ['sv', 'en'] as const;
export type Lang = (typeof languages)[number];

/** One-shot messages for the next page. */
export const flashes = ['logged_out', 'role_switched', 'step_up_done', 'cancelled', 'test_wallet_failed'] as const;
export type Flash = (typeof flashes)[number];

const zToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const zPendingRequest = z.strictObject({
  /** `login` makes a session; `step_up` adds to the session. */
  kind: z.enum(['login', 'step_up']),
  tx: z.string().min(1).max(100),
  /** The `openid4vp://` URI for the wallet (QR code or link); `dc_api`: where the page posts the answer. */
  uri: z.string().min(1).max(2000),
  /** `dc_api`: the browser hands the request to the wallet (W3C Digital Credentials API). */
  flow: z.enum(['cross_device', 'same_device', 'dc_api']),
  useCase: z.string().min(1).max(100),
  /** Step-up: the form it was started from. */
  form: z.string().max(64).optional(),
  /** Step-up: a role (`role`) or claims (`claims`) were missing. */
  need: z.enum(['role', 'claims']).optional(),
  /** When the wallet's time to answer ends (epoch ms). */
  exp: z.number().int(),
});
export type PendingRequest = z.output<typeof zPendingRequest>;

export const zWebState = z.strictObject({
  v: z.literal(1),
  /** Epoch ms after which the cookie is refused. */
  exp: z.number().int(),
  csrf: zToken,
  lang: z.enum(languages),
  /** The portal session (`/v1/sessions`) after login. */
  sid: zToken.optional(),
  pending: zPendingRequest.optional(),
  flash: z.enum(flashes).optional(),
});
export type WebState = z.output<typeof zWebState>;

/**
 * For every error code of the closed catalogue ({@link errorCatalog}), one plain sentence in Swedish
 * and English that a relying party may show the citizen: what happened and what to do, without
 * protocol words, codes or host names. The `title` in the catalogue is for the RP's developers; this
 * is for the person in front of the screen. A `Record` over `ErrorCode`, so a new code does not
 * compile without its sentences; docs/error-codes.md is rendered from both (a test keeps it current).
 */
import type { ErrorCode } from './errors.ts';

export interface CitizenMessage {
  readonly sv: string;
  readonly en: string;
}

const m = (sv: string, en: string): CitizenMessage => ({ sv, en });

/** The relying party's or the service's own fault: nothing the citizen did or can fix. */
const technical = m('Något gick fel hos tjänsten. Försök igen om en stund.', 'Something went wrong on our side. Please try again in a while.');
const unavailable = m('Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.', 'The service is temporarily unavailable. Please try again in a while.');
const startAgain = m('Frågan till din plånbok gäller inte längre. Börja om.', 'The request to your wallet is no longer valid. Please start again.');
const answerUnreadable = m(
  'Svaret från din plånbok kunde inte tas emot. Försök igen, och uppdatera plånboksappen om det händer igen.',
  "Your wallet's answer could not be received. Please try again, and update your wallet app if it happens again.",
);
const notWhatWasAsked = m(
  'Plånboken skickade inte de uppgifter som tjänsten behöver. Försök igen och dela alla uppgifter som efterfrågas.',
  'Your wallet did not send the details this service needs. Please try again and share all the details asked for.',
);
const credentialUnverifiable = m(
  'Ett intyg i din plånbok kunde inte kontrolleras. Försök igen, och kontakta den som utfärdat intyget om det händer igen.',
  'A credential in your wallet could not be verified. Please try again, and contact its issuer if it happens again.',
);
const notYourWallet = m(
  'Det gick inte att bekräfta att intyget delades från din egen plånbok. Försök igen.',
  'It could not be confirmed that the credential was shared from your own wallet. Please try again.',
);
const credentialExpired = m('Intyget i din plånbok har slutat gälla. Skaffa ett nytt från den som utfärdat det.', 'The credential in your wallet is no longer valid. Get a new one from its issuer.');
const credentialNotYetValid = m('Intyget i din plånbok gäller inte än. Försök igen när det har börjat gälla.', 'The credential in your wallet is not valid yet. Please try again once it is.');
const issuerNotTrusted = m(
  'Intyget kommer från en utfärdare som tjänsten inte godtar för det här. Använd ett intyg från en godkänd utfärdare.',
  'The credential comes from an issuer this service does not accept for this. Please use a credential from an approved issuer.',
);
const statusUnknown = m('Det gick inte att kontrollera att intyget fortfarande gäller. Försök igen om en stund.', 'It could not be checked that the credential is still valid. Please try again in a while.');
const loggedOut = m('Du är utloggad. Logga in igen.', 'You have been logged out. Please log in again.');
const resultUnavailable = m('Resultatet kunde inte hämtas. Börja om.', 'The result could not be fetched. Please start again.');

export const citizenMessages: Readonly<Record<ErrorCode, CitizenMessage>> = {
  INVALID_REQUEST: technical,
  BODY_TOO_LARGE: technical,
  UNSUPPORTED_MEDIA_TYPE: technical,
  NOT_FOUND: m('Sidan eller uppgiften finns inte.', 'The page or item does not exist.'),
  METHOD_NOT_ALLOWED: technical,
  UNAUTHORIZED: technical,
  USE_CASE_NOT_ALLOWED: technical,
  USE_CASE_UNKNOWN: technical,
  RATE_LIMITED: m('Tjänsten har många besökare just nu. Vänta en stund och försök igen.', 'The service is busy right now. Please wait a moment and try again.'),
  INTERNAL_ERROR: technical,
  NOT_READY: unavailable,

  TRANSACTION_NOT_FOUND: startAgain,
  TRANSACTION_EXPIRED: m('Tiden för att svara har gått ut. Börja om.', 'The time to answer has run out. Please start again.'),
  TRANSACTION_NOT_PENDING: m('Din plånbok har redan svarat på den här frågan. Börja om om du vill dela igen.', 'Your wallet has already answered this request. Start again if you want to share again.'),
  RESPONSE_REPLAYED: m('Din plånbok har redan svarat på den här frågan. Börja om om du vill dela igen.', 'Your wallet has already answered this request. Start again if you want to share again.'),
  RESPONSE_CODE_REQUIRED: resultUnavailable,
  RESPONSE_CODE_INVALID: resultUnavailable,
  REDIRECT_URI_REQUIRED: technical,
  REQUEST_URI_METHOD_INVALID: answerUnreadable,
  STATE_MISMATCH: startAgain,
  RESPONSE_MALFORMED: answerUnreadable,
  RESPONSE_MODE_MISMATCH: answerUnreadable,
  RESPONSE_DECRYPTION_FAILED: answerUnreadable,
  RESPONSE_ENCRYPTION_INVALID: answerUnreadable,
  VP_TOKEN_MALFORMED: answerUnreadable,
  WALLET_ERROR: m('Inga uppgifter delades från plånboken. Försök igen om du vill fortsätta.', 'No details were shared from your wallet. Try again if you want to continue.'),
  FORMAT_UNSUPPORTED: m(
    'Intyget har ett format som tjänsten inte kan läsa. Uppdatera plånboksappen eller använd ett annat intyg.',
    'The credential is in a format this service cannot read. Please update your wallet app or use another credential.',
  ),

  STORE_UNAVAILABLE: unavailable,

  QUERY_INVALID: technical,
  QUERY_NOT_SATISFIED: notWhatWasAsked,
  CREDENTIAL_UNEXPECTED: notWhatWasAsked,
  MULTIPLE_PRESENTATIONS_NOT_ALLOWED: notWhatWasAsked,

  SDJWT_MALFORMED: credentialUnverifiable,
  SDJWT_TYP_INVALID: credentialUnverifiable,
  SDJWT_ALG_NOT_ALLOWED: credentialUnverifiable,
  SDJWT_CRIT_UNSUPPORTED: credentialUnverifiable,
  SDJWT_KEY_SOURCE_NOT_ALLOWED: credentialUnverifiable,
  SDJWT_SIGNATURE_INVALID: credentialUnverifiable,
  SDJWT_ISSUER_MISMATCH: credentialUnverifiable,
  SDJWT_SD_ALG_UNSUPPORTED: credentialUnverifiable,
  DISCLOSURE_MALFORMED: credentialUnverifiable,
  DISCLOSURE_UNREFERENCED: credentialUnverifiable,
  DISCLOSURE_DUPLICATE: credentialUnverifiable,
  DIGEST_DUPLICATE: credentialUnverifiable,
  CLAIM_NAME_RESERVED: credentialUnverifiable,
  CLAIM_COLLISION: credentialUnverifiable,
  CLAIM_NOT_DISCLOSABLE: credentialUnverifiable,
  CREDENTIAL_EXPIRED: credentialExpired,
  CREDENTIAL_NOT_YET_VALID: credentialNotYetValid,
  CREDENTIAL_CLAIM_INVALID: credentialUnverifiable,
  VCT_NOT_ACCEPTED: notWhatWasAsked,
  CNF_MISSING: notYourWallet,
  KB_MISSING: notYourWallet,
  KB_MALFORMED: notYourWallet,
  KB_TYP_INVALID: notYourWallet,
  KB_ALG_NOT_ALLOWED: notYourWallet,
  KB_SIGNATURE_INVALID: notYourWallet,
  KB_NONCE_MISMATCH: notYourWallet,
  KB_AUD_MISMATCH: notYourWallet,
  KB_IAT_INVALID: m(
    'Svaret från din plånbok var för gammalt eller hade fel tid. Kontrollera att telefonens klocka går rätt och försök igen.',
    "Your wallet's answer was too old or carried the wrong time. Check that your phone's clock is right and try again.",
  ),
  KB_SD_HASH_MISMATCH: notYourWallet,

  MDOC_MALFORMED: credentialUnverifiable,
  MDOC_STRUCTURE_INVALID: credentialUnverifiable,
  MDOC_STATUS_NOT_OK: answerUnreadable,
  MDOC_DOCUMENT_MISSING: notWhatWasAsked,
  MDOC_DOCUMENT_EXTRA: notWhatWasAsked,
  MDOC_DOCTYPE_MISMATCH: notWhatWasAsked,
  MDOC_COSE_HEADER_INVALID: credentialUnverifiable,
  MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED: credentialUnverifiable,
  MDOC_X5CHAIN_MISSING: credentialUnverifiable,
  MDOC_DS_CERT_INVALID: credentialUnverifiable,
  MDOC_ISSUER_SIGNATURE_INVALID: credentialUnverifiable,
  MDOC_MSO_VERSION_UNSUPPORTED: credentialUnverifiable,
  MDOC_DIGEST_ALG_UNSUPPORTED: credentialUnverifiable,
  MDOC_SIGNED_OUTSIDE_DS_VALIDITY: credentialUnverifiable,
  MDOC_NOT_YET_VALID: credentialNotYetValid,
  MDOC_EXPIRED: credentialExpired,
  MDOC_DIGEST_MISSING: credentialUnverifiable,
  MDOC_DIGEST_MISMATCH: credentialUnverifiable,
  MDOC_DIGEST_ID_DUPLICATE: credentialUnverifiable,
  MDOC_ELEMENT_DUPLICATE: credentialUnverifiable,
  MDOC_ELEMENT_VALUE_INVALID: credentialUnverifiable,
  MDOC_ISSUING_COUNTRY_MISMATCH: credentialUnverifiable,
  MDOC_DEVICE_AUTH_MISSING: notYourWallet,
  MDOC_DEVICE_KEY_INVALID: notYourWallet,
  MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED: notYourWallet,
  MDOC_DEVICE_SIGNATURE_INVALID: notYourWallet,
  MDOC_DEVICE_MAC_UNSUPPORTED: notYourWallet,
  MDOC_DEVICE_MAC_INVALID: notYourWallet,
  MDOC_DEVICE_ELEMENT_UNAUTHORIZED: notYourWallet,

  X5C_MISSING: credentialUnverifiable,
  X5C_MALFORMED: credentialUnverifiable,
  X5C_CONTAINS_ANCHOR: credentialUnverifiable,
  CERT_CHAIN_INVALID: credentialUnverifiable,
  CERT_EXPIRED: m(
    'Intyget är utfärdat med ett certifikat som inte gäller längre. Kontakta den som utfärdat intyget.',
    'The credential was issued with a certificate that is no longer valid. Please contact its issuer.',
  ),
  ISSUER_UNTRUSTED: issuerNotTrusted,
  ISSUER_NOT_AUTHORIZED_FOR_TYPE: issuerNotTrusted,
  TRUST_LIST_INVALID: unavailable,
  TRUST_LIST_UNAVAILABLE: unavailable,
  TRUST_LIST_EXPIRED: unavailable,

  CREDENTIAL_REVOKED: m('Intyget i din plånbok har återkallats av den som utfärdat det. Kontakta utfärdaren.', 'The credential in your wallet has been revoked by its issuer. Please contact the issuer.'),
  CREDENTIAL_SUSPENDED: m('Intyget i din plånbok är tillfälligt spärrat av den som utfärdat det. Kontakta utfärdaren.', 'The credential in your wallet has been suspended by its issuer. Please contact the issuer.'),
  TRANSACTION_DATA_INVALID: m('Tjänsten bad om något som inte kan godkännas med plånboken. Försök igen eller kontakta tjänsten.', 'The service asked for something that cannot be approved with the wallet. Please try again or contact the service.'),
  TRANSACTION_DATA_PID_ONLY: m(
    'Tjänsten bad dig godkänna ett ärende med dina id-uppgifter, vilket inte är tillåtet. Kontakta tjänsten.',
    'The service asked you to approve an errand with your identity data, which is not allowed. Please contact the service.',
  ),
  TRANSACTION_DATA_HASHES_MISSING: m('Plånboken bekräftade inte ärendet du skulle godkänna. Försök igen.', 'The wallet did not confirm the errand you were to approve. Please try again.'),
  TRANSACTION_DATA_HASH_MISMATCH: m('Plånboken godkände inte samma ärende som tjänsten frågade om. Försök igen.', 'The wallet did not approve the same errand the service asked about. Please try again.'),
  TRANSACTION_DATA_HASH_ALG_UNSUPPORTED: m('Plånboken bekräftade ärendet på ett sätt som inte godtas. Försök igen.', 'The wallet confirmed the errand in a way that is not accepted. Please try again.'),
  DC_API_ORIGIN_NOT_REGISTERED: m('Tjänsten är felaktigt inställd för inloggning i webbläsaren. Kontakta tjänsten.', 'The service is not set up correctly for signing in in the browser. Please contact the service.'),
  DC_API_FLOW_MISMATCH: startAgain,
  DC_API_PROTOCOL_MISMATCH: answerUnreadable,
  DC_API_PROTOCOL_NOT_ALLOWED: m('Tjänsten frågar på ett sätt som inte är tillåtet. Kontakta tjänsten.', 'The service asks in a way that is not allowed. Please contact the service.'),
  PROFILE_RESPONSE_MODE_NOT_ALLOWED: m('Tjänsten är felaktigt inställd. Kontakta tjänsten.', 'The service is not set up correctly. Please contact the service.'),
  PROFILE_CLIENT_ID_PREFIX_NOT_ALLOWED: m('Tjänsten är felaktigt inställd. Kontakta tjänsten.', 'The service is not set up correctly. Please contact the service.'),
  PROFILE_USE_CASE_NOT_ALLOWED: m('Tjänsten frågar på ett sätt som inte är tillåtet. Kontakta tjänsten.', 'The service asks in a way that is not allowed. Please contact the service.'),
  PROFILE_ALG_NOT_ALLOWED: m(
    'Intyget i din plånbok är skyddat på ett sätt som inte godtas här. Kontakta den som utfärdat det.',
    'The credential in your wallet is protected in a way that is not accepted here. Please contact its issuer.',
  ),
  PROFILE_STATUS_REQUIRED: m(
    'Intyget går inte att kontrollera mot återkallelser och kan därför inte godtas. Kontakta den som utfärdat det.',
    'The credential cannot be checked for revocation and so cannot be accepted. Please contact its issuer.',
  ),
  REGISTRATION_CERTIFICATE_INVALID: m('Tjänsten är felaktigt registrerad. Kontakta tjänsten.', 'The service is not registered correctly. Please contact the service.'),
  REGISTRATION_CERTIFICATE_EXPIRED: m('Tjänstens registrering har gått ut. Kontakta tjänsten.', "The service's registration has expired. Please contact the service."),
  REGISTRATION_CERTIFICATE_RP_MISMATCH: m('Tjänsten är felaktigt registrerad. Kontakta tjänsten.', 'The service is not registered correctly. Please contact the service.'),
  REGISTRATION_CERTIFICATE_NOT_COVERING: m(
    'Tjänsten frågar efter mer än den är registrerad för. Kontakta tjänsten.',
    'The service asks for more than it is registered for. Please contact the service.',
  ),
  STATUS_REFERENCE_MISSING: m(
    'Intyget går inte att kontrollera mot återkallelser och kan därför inte godtas. Kontakta den som utfärdat det.',
    'The credential cannot be checked for revocation and so cannot be accepted. Please contact its issuer.',
  ),
  CREDENTIAL_STATUS_UNRECOGNISED: statusUnknown,
  STATUS_LIST_UNAVAILABLE: statusUnknown,
  STATUS_LIST_URI_REFUSED: credentialUnverifiable,
  STATUS_LIST_INVALID: statusUnknown,
  STATUS_LIST_SUBJECT_MISMATCH: statusUnknown,
  STATUS_LIST_SIGNER_UNTRUSTED: statusUnknown,
  STATUS_INDEX_OUT_OF_RANGE: credentialUnverifiable,

  SESSION_NOT_FOUND: loggedOut,
  SESSION_EXPIRED: loggedOut,
  SESSION_ALREADY_CREATED: m('Den här inloggningen har redan använts. Logga in igen.', 'This login has already been used. Please log in again.'),
  SESSION_TRANSACTION_NOT_VERIFIED: m('Inloggningen är inte klar. Godkänn delningen i plånboken, eller börja om.', 'The login is not finished. Approve the sharing in your wallet, or start again.'),
  SESSION_USE_CASE_NOT_PORTAL: technical,
  SESSION_SUBJECT_MISSING: m('För att logga in behöver du dela ditt id-intyg från plånboken. Försök igen och dela det.', 'To log in, share your identity credential from your wallet. Please try again and share it.'),
  SESSION_CONFLICT: m('Något ändrades samtidigt i ett annat fönster. Försök igen.', 'Something was changed at the same time in another window. Please try again.'),
  ROLE_NOT_FOUND: m('Den valda rollen finns inte längre. Välj roll igen.', 'The chosen role no longer exists. Please choose a role again.'),
  REPRESENTATION_WITHOUT_PID: m(
    'En fullmakt eller annan behörighet räknas bara tillsammans med ditt id-intyg. Dela båda från plånboken.',
    'A power of attorney or other mandate counts only together with your identity credential. Please share both from your wallet.',
  ),
  REPRESENTATION_BINDING_MISMATCH: m('Behörigheten gäller någon annan än dig.', 'The mandate was given to someone other than you.'),
  REPRESENTATION_ISSUER_NOT_AUTHORIZED: m('Behörigheten kommer från en utfärdare som tjänsten inte godtar.', 'The mandate comes from an issuer this service does not accept.'),
  REPRESENTATION_INVALID: m('Behörigheten kunde inte läsas. Kontakta den som utfärdat den.', 'The mandate could not be read. Please contact its issuer.'),
  REPRESENTATION_NOT_YET_VALID: m('Behörigheten har inte börjat gälla än.', 'The mandate has not started yet.'),
  REPRESENTATION_EXPIRED: m('Behörigheten har upphört att gälla.', 'The mandate has ended.'),
  REPRESENTATION_REVOKED: m('Behörigheten har återkallats eller är spärrad. Kontakta den som utfärdat den.', 'The mandate has been revoked or suspended. Please contact its issuer.'),
  REPRESENTATION_STATUS_UNKNOWN: m('Det gick inte att kontrollera att behörigheten fortfarande gäller. Försök igen om en stund.', 'It could not be checked that the mandate is still valid. Please try again in a while.'),
  REPRESENTATION_SCOPE: m('Din behörighet omfattar inte den här tjänsten.', 'Your mandate does not cover this service.'),
  FORM_NOT_FOUND: m('Tjänsten finns inte.', 'That service does not exist.'),
  FORM_NOT_ALLOWED_FOR_ROLE: m(
    'Tjänsten går inte att använda i den roll du har valt. Byt roll, eller lägg till en behörighet från plånboken.',
    'This service is not available in the role you have chosen. Change role, or add a mandate from your wallet.',
  ),
  STEP_UP_NOT_FOUND: startAgain,
  STEP_UP_SUBJECT_MISMATCH: m(
    'Uppgifterna kom från en annan persons plånbok än den som är inloggad. Dela från din egen plånbok.',
    "The details came from another person's wallet than the one logged in. Please share from your own wallet.",
  ),
  MANDATE_LOGIN_REQUIRED: loggedOut,
  MANDATE_SELF_GRANT: m('Du kan inte ge en fullmakt till dig själv.', 'You cannot give a power of attorney to yourself.'),
  MANDATE_AGENT_INVALID: m('Kontrollera ombudets personnummer (12 siffror) och namn.', "Please check the agent's personal identity number (12 digits) and name."),
  MANDATE_PERIOD_INVALID: m('Kontrollera fullmaktens giltighetstid: den får inte ha passerat och slutet får inte komma före början.', 'Please check the period of the power of attorney: it must not be over, and it cannot end before it starts.'),
  MANDATE_SCOPE_UNKNOWN: m('En av de valda tjänsterna finns inte. Välj bland tjänsterna i listan.', 'One of the chosen services does not exist. Please choose from the list.'),
  MANDATE_SCOPE_NOT_DELEGABLE: m('Du kan inte ge fullmakt för en av de valda tjänsterna.', 'You cannot give a power of attorney for one of the chosen services.'),
  MANDATE_NOT_FOUND: m('Fullmakten finns inte, eller gäller någon annan än dig.', 'The power of attorney does not exist, or it was given to someone other than you.'),
  MANDATE_STATE_CONFLICT: m('Fullmakten har redan återkallats eller hämtats. Ladda om sidan.', 'The power of attorney has already been revoked or collected. Please reload the page.'),
  VCI_GRANT_INVALID: m('Erbjudandet gäller inte längre. Hämta ett nytt erbjudande och försök igen.', 'The offer is no longer valid. Please get a new offer and try again.'),
  VCI_TOKEN_INVALID: m('Hämtningen till plånboken gick inte att slutföra. Börja om med ett nytt erbjudande.', 'Collecting to your wallet could not be finished. Please start again with a new offer.'),
  VCI_CREDENTIAL_REQUEST_INVALID: answerUnreadable,
  VCI_NONCE_INVALID: m('Plånbokens svar var för gammalt. Försök igen.', "Your wallet's answer was too old. Please try again."),
  VCI_PROOF_INVALID: notYourWallet,
  VCI_PROOF_KEY_REUSED: answerUnreadable,
  MANDATE_SIGNATORY_ROLE_REQUIRED: m(
    'Välj rollen som firmatecknare för företaget innan du ger en fullmakt för det.',
    'Please choose your role as the signatory of the company before you give a mandate on its behalf.',
  ),
  MANDATE_SIGNATORY_RULE_JOINT: m(
    'Du tecknar företagets firma tillsammans med andra och kan inte ensam ge en fullmakt för företaget.',
    'You sign for the company jointly with others and cannot give a mandate on its behalf alone.',
  ),
  MANDATE_SIGNATORY_RULE_LIMITED: m(
    'Din behörighet som firmatecknare är begränsad och räcker inte för att ge en fullmakt för företaget.',
    'Your authority as a signatory is limited and does not allow you to give a mandate on behalf of the company.',
  ),
  WEB_COOKIE_INVALID: m('Din inloggning kunde inte läsas. Logga in igen.', 'Your login could not be read. Please log in again.'),
  WEB_COOKIE_EXPIRED: loggedOut,
  WEB_CSRF_TOKEN_INVALID: m('Formuläret kunde inte skickas. Ladda om sidan och försök igen.', 'The form could not be sent. Please reload the page and try again.'),
  WEB_NO_PENDING_REQUEST: m('Det finns ingen pågående fråga till din plånbok. Börja om.', 'There is no request to your wallet in progress. Please start again.'),
  WEB_TEST_WALLET_FAILED: technical,
  OIDC_SCOPE_NOT_REGISTERED: technical,
  OIDC_INTERACTION_NOT_FOUND: m('Inloggningen gäller inte längre, eller påbörjades i en annan webbläsare. Gå tillbaka till e-tjänsten och börja om.', 'The login is no longer valid, or was started in another browser. Go back to the e-service and start again.'),
  OIDC_ROLE_NOT_FOUND: m('Den roll du valde finns inte bland dina behörigheter. Välj en av de roller som visas.', 'The role you chose is not among your authorisations. Please choose one of the roles shown.'),
};

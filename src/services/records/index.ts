import { attest, attestationPage, signAttestation } from './attestation.js';
import {
  certificatePdf,
  findCertificate,
  issueCertificate,
  revokeCertificate,
  verifyCertificate,
} from './certificates.js';
import { evaluateCompletion } from './completion.js';
import { buildEvidencePack, evidencePage, exportEvidence } from './evidence.js';
import { attestedPolicyPdf, attestedText, policyPdf } from './policy-text.js';
import { reattestationFor } from './reattestation.js';

/**
 * The records area: attestation, completion, certificates (their PDF, public check and revocation)
 * and evidence packs. Bound to the service context in services/index.ts (`app.services.records`).
 */
export const recordsCommands = {
  attest,
  attestationPage,
  /** What changed since a re-attesting learner's last attestation, for a cycle already read. */
  reattestation: reattestationFor,
  signAttestation,
  evaluateCompletion,
  issueCertificate,
  findCertificate,
  certificatePdf,
  verifyCertificate,
  revokeCertificate,
  buildEvidencePack,
  evidencePage,
  exportEvidence,
  policyPdf,
  attestedText,
  attestedPolicyPdf,
};

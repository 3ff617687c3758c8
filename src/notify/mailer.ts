import nodemailer from 'nodemailer';

/** Sends plain-text e-mail. One implementation, nodemailer over HITCH_SMTP_URL; none when it is unset. */
export interface Mailer {
  send(message: { to: string[]; subject: string; text: string }): Promise<void>;
  close(): void;
}

/**
 * The SMTP URL (`smtp://user:pass@host:587`, `smtps://…`) holds a password, so
 * it is handed to nodemailer and never logged. The sender is `hitch@<PUBLIC_URL host>`.
 */
export function createMailer(smtpUrl: string | null, publicUrl: string): Mailer | null {
  if (!smtpUrl) return null;
  const transport = nodemailer.createTransport(smtpUrl);
  const from = `Hitch <hitch@${new URL(publicUrl).hostname}>`;
  return {
    async send(message) {
      if (message.to.length === 0) return;
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}

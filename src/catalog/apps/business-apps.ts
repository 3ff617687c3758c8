import type { AppInput } from '../schema.ts';
import { anthropic } from './anthropic.ts';
import { axelor } from './axelor.ts';
import { contentful } from './contentful.ts';
import { docusign } from './docusign.ts';
import { facebookPages } from './facebook-pages.ts';
import { freshdesk } from './freshdesk.ts';
import { hubspot } from './hubspot.ts';
import { intercom } from './intercom.ts';
import { jotform } from './jotform.ts';
import { linkedin } from './linkedin.ts';
import { mailchimp } from './mailchimp.ts';
import { openai } from './openai.ts';
import { paypal } from './paypal.ts';
import { pipedrive } from './pipedrive.ts';
import { quickbooks } from './quickbooks.ts';
import { salesforce } from './salesforce.ts';
import { sendgrid } from './sendgrid.ts';
import { shopify } from './shopify.ts';
import { square } from './square.ts';
import { stripe } from './stripe.ts';
import { twilio } from './twilio.ts';
import { typeform } from './typeform.ts';
import { webflow } from './webflow.ts';
import { woocommerce } from './woocommerce.ts';
import { wordpress } from './wordpress.ts';
import { tumblr } from './tumblr.ts';
import { x } from './x.ts';
import { xero } from './xero.ts';
import { youtube } from './youtube.ts';
import { zendesk } from './zendesk.ts';
import { zohoCrm } from './zoho-crm.ts';

/** Sales, support, commerce, finance, marketing, social and AI apps (one file each, listed here). */
export const businessApps: AppInput[] = [
  // CRM and ERP
  salesforce,
  hubspot,
  pipedrive,
  zohoCrm,
  axelor,
  // Customer support
  zendesk,
  freshdesk,
  intercom,
  // E-commerce and payments
  shopify,
  woocommerce,
  stripe,
  paypal,
  square,
  // Accounting
  quickbooks,
  xero,
  // Marketing and communication
  mailchimp,
  sendgrid,
  twilio,
  // Social media and video
  facebookPages,
  linkedin,
  x,
  tumblr,
  youtube,
  // Forms and documents
  typeform,
  jotform,
  docusign,
  // Websites
  wordpress,
  webflow,
  contentful,
  // AI
  openai,
  anthropic,
];

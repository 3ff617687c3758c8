import type { AppInput } from '../schema.ts';
import { airtable } from './airtable.ts';
import { asana } from './asana.ts';
import { bitbucket } from './bitbucket.ts';
import { box } from './box.ts';
import { calendly } from './calendly.ts';
import { clickup } from './clickup.ts';
import { confluence } from './confluence.ts';
import { discord } from './discord.ts';
import { dropbox } from './dropbox.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';
import { gmail } from './gmail.ts';
import { googleCalendar } from './google-calendar.ts';
import { googleContacts } from './google-contacts.ts';
import { googleDrive } from './google-drive.ts';
import { googleSheets } from './google-sheets.ts';
import { jira } from './jira.ts';
import { linear } from './linear.ts';
import { microsoftExcel } from './microsoft-excel.ts';
import { microsoftOnedrive } from './microsoft-onedrive.ts';
import { microsoftOutlook } from './microsoft-outlook.ts';
import { microsoftTeams } from './microsoft-teams.ts';
import { monday } from './monday.ts';
import { notion } from './notion.ts';
import { sentry } from './sentry.ts';
import { slack } from './slack.ts';
import { spotify } from './spotify.ts';
import { strava } from './strava.ts';
import { todoist } from './todoist.ts';
import { trello } from './trello.ts';
import { zoom } from './zoom.ts';

/** Productivity, developer and collaboration apps (one file each, listed here). */
export const collaborationApps: AppInput[] = [
  // Google Workspace
  gmail,
  googleSheets,
  googleDrive,
  googleCalendar,
  googleContacts,
  // Microsoft 365
  microsoftOutlook,
  microsoftOnedrive,
  microsoftTeams,
  microsoftExcel,
  // Communication
  slack,
  discord,
  zoom,
  // Developer tools
  github,
  gitlab,
  bitbucket,
  sentry,
  // Project management and productivity
  jira,
  confluence,
  trello,
  asana,
  monday,
  clickup,
  notion,
  airtable,
  todoist,
  linear,
  calendly,
  // Files
  dropbox,
  box,
  // Other
  spotify,
  strava,
];

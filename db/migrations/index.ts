/**
 * Every migration, imported statically so that the server bundle carries them
 * (no file-system scan at run time). Add new ones at the end; never edit a
 * migration that has shipped.
 */
import type { Migration } from "kysely";
import * as m0001 from "./0001_initial";
import * as m0002 from "./0002_reference_data";
import * as m0003 from "./0003_payments_and_email";
import * as m0004 from "./0004_settlement";
import * as m0005 from "./0005_accounts";
import * as m0006 from "./0006_news";
import * as m0007 from "./0007_campaign_image_alt";
import * as m0008 from "./0008_back_office";
import * as m0009 from "./0009_money_path";
import * as m0010 from "./0010_platform_settings";
import * as m0011 from "./0011_sign_in_failures";
import * as m0012 from "./0012_tax_receipts";
import * as m0013 from "./0013_contact_messages";
import * as m0014 from "./0014_account_rights";
import * as m0016 from "./0016_campaign_search";
import * as m0017 from "./0017_matching";
import * as m0018 from "./0018_page_versions";
import * as m0019 from "./0019_retention_and_kept_citizens";
import * as m0020 from "./0020_matching_audit";
import * as m0021 from "./0021_contributions_campaign_email";
import * as m0022 from "./0022_campaign_tallies";

export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_reference_data": m0002,
  "0003_payments_and_email": m0003,
  "0004_settlement": m0004,
  "0005_accounts": m0005,
  "0006_news": m0006,
  "0007_campaign_image_alt": m0007,
  "0008_back_office": m0008,
  "0009_money_path": m0009,
  "0010_platform_settings": m0010,
  "0011_sign_in_failures": m0011,
  "0012_tax_receipts": m0012,
  "0013_contact_messages": m0013,
  "0014_account_rights": m0014,
  "0016_campaign_search": m0016,
  "0017_matching": m0017,
  "0018_page_versions": m0018,
  "0019_retention_and_kept_citizens": m0019,
  "0020_matching_audit": m0020,
  "0021_contributions_campaign_email": m0021,
  "0022_campaign_tallies": m0022,
};

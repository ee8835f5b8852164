update accounts
   set plan = 'free'
 where plan is null;
